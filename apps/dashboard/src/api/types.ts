/**
 * Shapes of the collector's `/api/v1` answers, as the dashboard reads them. The dashboard depends
 * on the HTTP API only (never on `@agentmeter/core`), so these types mirror the public contract in
 * ARCHITECTURE.md rather than importing the server's.
 */

/** Outcome recorded on a task root; `''` when the app never reported one. */
export type TaskOutcome = 'success' | 'failure' | ''

/** One task as listed by `GET /api/v1/tasks` and in the header of `GET /api/v1/tasks/:taskId`. */
export interface TaskSummary {
  taskId: string
  name: string
  startTime: string
  endTime: string
  /** USD; `null` when nothing in the task was priced. */
  costUsd: number | null
  unpricedCalls: number
  llmCalls: number
  toolCalls: number
  /** Sums over the model calls that reported usage. */
  inputTokens: number
  outputTokens: number
  /** Model calls that reported no usage: unknown tokens, missing from the sums (0 from an older collector). */
  callsWithoutUsage: number
  outcome: TaskOutcome
}

/** A page of `GET /api/v1/tasks`: its tasks and the cursor of the next page (null: none). */
export interface TaskPage {
  tasks: TaskSummary[]
  nextCursor: string | null
}

export type SpanKind = 'task' | 'agent' | 'llm' | 'tool' | 'embedding' | 'other'

export type SpanStatus = 'ok' | 'error' | 'unset'

/** Token usage of one span. */
export interface SpanUsage {
  inputTokens: number
  outputTokens: number
  cacheReadTokens: number
  cacheWriteTokens: number
  reasoningTokens: number
}

/** One span of a task, from `GET /api/v1/tasks/:taskId`. */
export interface TaskSpan {
  spanId: string
  /** `null` for a trace root. */
  parentSpanId: string | null
  traceId: string
  name: string
  kind: SpanKind
  step: string | null
  provider: string | null
  model: string | null
  /** `null` when the usage is unknown (not reported), which is not the same as zero tokens. */
  usage: SpanUsage | null
  costUsd: number | null
  priced: boolean
  /** Why the span is unpriced, or how its price was reached; beyond the contract, may be absent. */
  priceReason: string | null
  startTime: string
  endTime: string
  status: SpanStatus
  /** The error message of a failed span; beyond the contract, may be absent. */
  statusMessage: string | null
}

/** The task of `GET /api/v1/tasks/:taskId`: a listed task and its score. */
export interface TaskDetailSummary extends TaskSummary {
  /** `agentmeter.task.score` as recorded on the task root; `null` when none was. */
  score: number | null
}

/** `GET /api/v1/tasks/:taskId`. */
export interface TaskDetail {
  task: TaskDetailSummary
  spans: TaskSpan[]
}

/** Grouping of `GET /api/v1/costs`. */
export type CostGroupBy = 'task_name' | 'model' | 'provider' | 'day' | 'hour'

/** One row of `GET /api/v1/costs`: one key, or one (key, series) pair when `split` is set. */
export interface CostRow {
  key: string
  /** Set when the request had `split`. */
  series: string | null
  /** Priced spend; null when none of the group's calls could be priced (unknown, not $0). */
  costUsd: number | null
  /** Unpriced calls of the group's tasks (0 from a collector that does not send it). */
  unpricedCalls: number
  tasks: number
  successfulTasks: number
  /**
   * Tasks whose outcome is `failure`. Not in the contract yet: `null` when the collector does not
   * send it, and the dashboard then counts failures in the task list instead.
   */
  failedTasks: number | null
  /**
   * Tasks of the group with no known spend (every call unpriced), and of them the successes:
   * left out of the percentiles and of cost per successful task (0 from an older collector).
   */
  unpricedOnlyTasks: number
  unpricedOnlySuccessfulTasks: number
  p50TaskCostUsd: number | null
  p95TaskCostUsd: number | null
  costPerSuccessfulTaskUsd: number | null
}

/** The project a session belongs to. */
export interface Project {
  id: string
  name: string
}

/** A time window as ISO 8601 instants, the form every `from` / `to` parameter takes. */
export interface TimeWindow {
  from: string
  to: string
}

/** One captured content attribute of a span, stored after redaction. Untrusted text. */
export interface ContentField {
  key: string
  value: string
}

/** `GET /api/v1/tasks/:taskId/spans/:spanId/content`. */
export interface SpanContent {
  spanId: string
  traceId: string
  /** Whether the project captures content now. */
  captureContent: boolean
  content: ContentField[]
}
