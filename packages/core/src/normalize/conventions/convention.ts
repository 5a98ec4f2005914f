import type { SpanKind } from '../../span/row'
import type { RawUsage } from '../../usage/sanitize'
import type { Usage } from '../../usage/usage'
import type { Attributes, OtlpSpan } from '../otlp-span'

/** Attribute keys to read one usage count from, first match wins. */
export type UsageKeys = Record<keyof Usage, readonly string[]>

/**
 * A cost in USD that the span itself reports. `billed` says who computed it: the provider's own
 * invoice figure (OpenRouter's `usage.cost`) is what the call cost and is used as the row's cost;
 * an instrumentation's estimate from its own price table (OpenLIT, Pydantic AI, OpenInference,
 * Langfuse) is kept beside agentmeter's computed cost, which the row uses when it can price.
 */
export interface ReportedCost {
  usd: number
  billed: boolean
  /** Where it was read, for `price_reason` (an attribute key, or a path inside one). */
  source: string
}

/**
 * How one instrumentation convention spells the concepts agentmeter needs. Each convention is
 * a table of attribute keys plus the few decisions that are not lookups (its span kinds, values
 * hidden in JSON attributes), so adding a convention means adding a file, not editing a long
 * function.
 */
export interface Convention {
  /** Recorded on every row the convention produced. */
  name: string
  /** Whether a span was written in this convention. */
  matches(attrs: Attributes, span: OtlpSpan): boolean
  /**
   * The span's kind, or null to fall through to the generic rules. Decided from the span's own
   * attributes only, so a parent that repeats its children's usage (an aggregate) is never
   * `llm` whatever order the spans of a trace arrive in.
   */
  kind(attrs: Attributes, span: OtlpSpan): SpanKind | null
  provider: readonly string[]
  /** Maps the convention's provider value to an OTel `gen_ai.provider.name` value. */
  normalizeProvider?(value: string): string
  requestModel: readonly string[]
  responseModel: readonly string[]
  operation: readonly string[]
  usage: UsageKeys
  /**
   * Corrects or completes the counts read through `usage`, for values that need parsing (a JSON
   * attribute) or arithmetic. Returns the counts to use; `notes` collects what was done.
   */
  adjustUsage?(raw: RawUsage, attrs: Attributes, notes: string[]): RawUsage
  /** True when this convention's input count leaves cache reads and writes out. */
  inputExcludesCache: boolean
  /** The cost the span reports itself, if the convention has one. */
  reportedCost?(attrs: Attributes): ReportedCost | null
  taskName: readonly string[]
  toolName: readonly string[]
  toolCallId: readonly string[]
  finishReasons: readonly string[]
  conversationId: readonly string[]
}
