import type { RequestCounts } from '../pricing/price'
import type { Usage } from '../usage/usage'

/** What a span did, in agentmeter's own terms, whatever convention produced it. */
export type SpanKind = 'task' | 'agent' | 'llm' | 'tool' | 'embedding' | 'other'

export const SPAN_KINDS: readonly SpanKind[] = [
  'task',
  'agent',
  'llm',
  'tool',
  'embedding',
  'other',
]

export type SpanStatus = 'unset' | 'ok' | 'error'

export type TaskOutcome = '' | 'success' | 'failure'

/**
 * Where a row's cost came from. `computed`: priced by agentmeter from the catalog;
 * `provider`: billed cost reported by the provider or the instrumentation; `sdk`: the SDK's
 * informational price, used only when the collector could not price the call; `custom`: a
 * project's own price.
 */
export type PriceSource = 'computed' | 'provider' | 'sdk' | 'custom'

/** The provenance of a priced (or unpriced) row. */
export interface CostInfo {
  priced: boolean
  /** Decimal string with 12 fractional digits, or null when unpriced. */
  costUsd: string | null
  inputCostUsd: string | null
  outputCostUsd: string | null
  source: PriceSource | null
  /** Price catalog that produced the cost, e.g. `genai-prices@0.1.8`. */
  catalogVersion: string
  matchedProvider: string
  matchedModel: string
  /** Price tier that applied (`base`, or the tier's threshold such as `>200000`). */
  tier: string
  /** Why the row is unpriced, or a note about how its price was reached. */
  reason: string
}

/** Keyed fingerprints of a call, as sent by the SDK (hex strings of 64-bit hashes). */
export interface Fingerprints {
  requestHash: string
  responseHash: string
  systemHash: string
  toolsHash: string
  prefixHashes: string[]
  prefixTokens: number[]
  minhash: string[]
  toolArgsHash: string
  toolResultHash: string
}

/** One span, normalized: the unit stored in the `spans` table. */
export interface SpanRow {
  projectId: string
  traceId: string
  spanId: string
  parentSpanId: string
  taskId: string
  taskName: string
  /** True for the span that roots its task (an `agentmeter.task.*` root or a trace root). */
  isTaskRoot: boolean
  step: string
  kind: SpanKind
  name: string
  /** Convention that produced the span, e.g. `agentmeter`, `otel-genai`. */
  convention: string
  serviceName: string
  environment: string
  provider: string
  requestModel: string
  responseModel: string
  operation: string
  toolName: string
  toolCallId: string
  conversationId: string
  /** Unix epoch nanoseconds, as a decimal string (exceeds 2^53). */
  startTimeUnixNano: string
  endTimeUnixNano: string
  status: SpanStatus
  statusMessage: string
  finishReasons: string[]
  /** Null when the call reported no usage: unknown, never zero. */
  usage: Usage | null
  /**
   * Rarer counts by name (the `usage_extra` map), never billed: the `aggregate_*` totals that an
   * agent or operation span repeats from its children, kept as a cross-check.
   */
  usageExtra: Record<string, number>
  /** Calls billed per request (hosted tools), priced beside the tokens. */
  requests: RequestCounts
  /** Problems found in the reported usage and how they were resolved. */
  usageNotes: string[]
  cost: CostInfo
  /** Price the SDK computed (informational), decimal string or null. */
  sdkCostUsd: string | null
  /** Cost reported by the provider or instrumentation, decimal string or null. */
  reportedCostUsd: string | null
  toolCostUsd: string | null
  outcome: TaskOutcome
  score: number | null
  fingerprints: Fingerprints
  /** Remaining span attributes, stringified, for display and later rules. */
  attributes: Record<string, string>
  resourceAttributes: Record<string, string>
}
