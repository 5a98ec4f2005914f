import type {
  CostRow,
  Project,
  SpanKind,
  SpanStatus,
  SpanUsage,
  TaskDetail,
  TaskOutcome,
  TaskPage,
  TaskSpan,
  TaskSummary,
} from './types'

/**
 * Raised when an answer does not have the documented shape. The panel that asked shows the
 * message, which names the field, instead of rendering half a model.
 */
export class ResponseShapeError extends Error {
  constructor(path: string, expected: string, got: unknown) {
    super(`Unexpected API response: ${path} should be ${expected}, got ${describe(got)}`)
    this.name = 'ResponseShapeError'
  }
}

const SPAN_KINDS: readonly SpanKind[] = ['task', 'agent', 'llm', 'tool', 'embedding', 'other']
const SPAN_STATUSES: readonly SpanStatus[] = ['ok', 'error', 'unset']

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value
}

export function record(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ResponseShapeError(path, 'an object', value)
  }
  return value as Record<string, unknown>
}

export function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new ResponseShapeError(path, 'an array', value)
  return value
}

// ClickHouse sends 64-bit integers as JSON strings unless told otherwise, so numeric strings are
// accepted wherever a number is expected.
export function num(value: unknown, path: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    return Number(value)
  }
  throw new ResponseShapeError(path, 'a number', value)
}

function numOrNull(value: unknown, path: string): number | null {
  return value === null || value === undefined ? null : num(value, path)
}

export function str(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new ResponseShapeError(path, 'a string', value)
  return value
}

// Optional labels (step, provider, model, parent) arrive as null, absent or empty alike.
function label(value: unknown, path: string): string | null {
  if (value === null || value === undefined || value === '') return null
  return str(value, path)
}

function outcome(value: unknown): TaskOutcome {
  return value === 'success' || value === 'failure' ? value : ''
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T): T {
  return allowed.includes(value as T) ? (value as T) : fallback
}

function decodeTask(value: unknown, path: string): TaskSummary {
  const task = record(value, path)
  return {
    taskId: str(task.taskId, `${path}.taskId`),
    name: str(task.name ?? '', `${path}.name`),
    startTime: str(task.startTime, `${path}.startTime`),
    endTime: str(task.endTime, `${path}.endTime`),
    costUsd: numOrNull(task.costUsd, `${path}.costUsd`),
    unpricedCalls: num(task.unpricedCalls ?? 0, `${path}.unpricedCalls`),
    llmCalls: num(task.llmCalls, `${path}.llmCalls`),
    toolCalls: num(task.toolCalls, `${path}.toolCalls`),
    inputTokens: num(task.inputTokens, `${path}.inputTokens`),
    outputTokens: num(task.outputTokens, `${path}.outputTokens`),
    callsWithoutUsage: num(task.callsWithoutUsage ?? 0, `${path}.callsWithoutUsage`),
    outcome: outcome(task.outcome),
  }
}

function decodeUsage(value: unknown, path: string): SpanUsage | null {
  if (value === null || value === undefined) return null
  const usage = record(value, path)
  // Inside a known usage, a kind the provider did not report is zero of that kind.
  const count = (name: keyof SpanUsage): number => num(usage[name] ?? 0, `${path}.${name}`)
  return {
    inputTokens: count('inputTokens'),
    outputTokens: count('outputTokens'),
    cacheReadTokens: count('cacheReadTokens'),
    cacheWriteTokens: count('cacheWriteTokens'),
    reasoningTokens: count('reasoningTokens'),
  }
}

function decodeSpan(value: unknown, path: string): TaskSpan {
  const span = record(value, path)
  const costUsd = numOrNull(span.costUsd, `${path}.costUsd`)
  return {
    spanId: str(span.spanId, `${path}.spanId`),
    parentSpanId: label(span.parentSpanId, `${path}.parentSpanId`),
    traceId: str(span.traceId ?? '', `${path}.traceId`),
    name: str(span.name ?? '', `${path}.name`),
    kind: oneOf(span.kind, SPAN_KINDS, 'other'),
    step: label(span.step, `${path}.step`),
    provider: label(span.provider, `${path}.provider`),
    model: label(span.model, `${path}.model`),
    usage: decodeUsage(span.usage, `${path}.usage`),
    costUsd,
    priced: typeof span.priced === 'boolean' ? span.priced : costUsd !== null,
    priceReason: label(span.priceReason, `${path}.priceReason`),
    startTime: str(span.startTime, `${path}.startTime`),
    endTime: str(span.endTime, `${path}.endTime`),
    status: oneOf(span.status, SPAN_STATUSES, 'unset'),
    statusMessage: label(span.statusMessage, `${path}.statusMessage`),
  }
}

function decodeCostRow(value: unknown, path: string): CostRow {
  const row = record(value, path)
  return {
    key: str(row.key, `${path}.key`),
    series:
      row.series === undefined || row.series === null ? null : str(row.series, `${path}.series`),
    costUsd: numOrNull(row.costUsd, `${path}.costUsd`),
    unpricedCalls: num(row.unpricedCalls ?? 0, `${path}.unpricedCalls`),
    tasks: num(row.tasks, `${path}.tasks`),
    successfulTasks: num(row.successfulTasks ?? 0, `${path}.successfulTasks`),
    failedTasks: numOrNull(row.failedTasks, `${path}.failedTasks`),
    unpricedOnlyTasks: num(row.unpricedOnlyTasks ?? 0, `${path}.unpricedOnlyTasks`),
    unpricedOnlySuccessfulTasks: num(
      row.unpricedOnlySuccessfulTasks ?? 0,
      `${path}.unpricedOnlySuccessfulTasks`,
    ),
    p50TaskCostUsd: numOrNull(row.p50TaskCostUsd, `${path}.p50TaskCostUsd`),
    p95TaskCostUsd: numOrNull(row.p95TaskCostUsd, `${path}.p95TaskCostUsd`),
    costPerSuccessfulTaskUsd: numOrNull(
      row.costPerSuccessfulTaskUsd,
      `${path}.costPerSuccessfulTaskUsd`,
    ),
  }
}

/** Decodes `GET /api/v1/tasks`. */
export function decodeTaskList(json: unknown): TaskSummary[] {
  const tasks = list(record(json, 'response').tasks, 'tasks')
  return tasks.map((task, index) => decodeTask(task, `tasks[${index}]`))
}

/** Decodes a page of `GET /api/v1/tasks`; a collector without paging sends no cursor. */
export function decodeTaskPage(json: unknown): TaskPage {
  const body = record(json, 'response')
  const cursor = body.nextCursor
  return {
    tasks: decodeTaskList(body),
    nextCursor: cursor === null || cursor === undefined ? null : str(cursor, 'nextCursor'),
  }
}

/** Decodes `GET /api/v1/tasks/:taskId`. */
export function decodeTaskDetail(json: unknown): TaskDetail {
  const body = record(json, 'response')
  const spans = list(body.spans, 'spans')
  const task = decodeTask(body.task, 'task')
  // A collector from before the score answers without it: no score known.
  const score = numOrNull(record(body.task, 'task').score, 'task.score')
  return {
    task: { ...task, score },
    spans: spans.map((span, index) => decodeSpan(span, `spans[${index}]`)),
  }
}

/** Decodes `GET /api/v1/costs`. */
export function decodeCostRows(json: unknown): CostRow[] {
  const rows = list(record(json, 'response').rows, 'rows')
  return rows.map((row, index) => decodeCostRow(row, `rows[${index}]`))
}

/** Decodes the `{ project }` answer of `GET` and `POST /api/v1/session`. */
export function decodeSessionProject(json: unknown): Project {
  const project = record(record(json, 'response').project, 'project')
  return { id: str(project.id, 'project.id'), name: str(project.name, 'project.name') }
}
