import type { SpanKind } from '../../span/row'
import type { Usage } from '../../usage/usage'
import type { Attributes, OtlpSpan } from '../otlp-span'

/** Attribute keys to read one usage count from, first match wins. */
export type UsageKeys = Record<keyof Usage, readonly string[]>

/**
 * How one instrumentation convention spells the concepts agentmeter needs. Each convention is
 * a table of attribute keys plus the few decisions that are not lookups (its span kinds), so
 * adding a convention means adding a file, not editing a long function.
 */
export interface Convention {
  /** Recorded on every row the convention produced. */
  name: string
  /** Whether a span was written in this convention. */
  matches(attrs: Attributes, span: OtlpSpan): boolean
  /** The span's kind, or null to fall through to the generic rules. */
  kind(attrs: Attributes, span: OtlpSpan): SpanKind | null
  provider: readonly string[]
  requestModel: readonly string[]
  responseModel: readonly string[]
  operation: readonly string[]
  usage: UsageKeys
  /** True when this convention's input count leaves cache reads and writes out. */
  inputExcludesCache: boolean
  taskName: readonly string[]
  toolName: readonly string[]
  toolCallId: readonly string[]
  finishReasons: readonly string[]
  conversationId: readonly string[]
}
