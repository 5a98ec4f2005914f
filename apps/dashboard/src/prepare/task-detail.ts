import type { SpanKind, SpanUsage, TaskDetail } from '../api/types'
import { formatUsdExact } from './format-money'
import { durationMillis, formatDuration } from './format-duration'
import { formatTimestamp } from './format-time'
import { formatCount, formatTokens } from './format-tokens'
import { NO_VALUE, UNKNOWN, UNPRICED } from './placeholders'
import { layoutSpans } from './span-tree'
import {
  outcomeView,
  scoreView,
  spanStatusView,
  taskCostFields,
  withoutUsageNote,
} from './task-fields'
import type { OutcomeView, ScoreView, SpanStatusView } from './task-fields'
import { displayTaskName } from './task-name'

/** Token counts of one span or task as text; `unknown` where usage was not reported. */
export interface TokenTexts {
  input: string
  output: string
  cacheRead: string
  cacheWrite: string
  reasoning: string
}

/** The header of the task page: the task's totals. */
export interface TaskHeaderModel {
  taskId: string
  name: string
  start: string
  duration: string
  cost: string
  unpriced: string | null
  llmCalls: string
  toolCalls: string
  tokens: TokenTexts
  /** `+ 2 calls without usage` beside the token sums; `null` when every call reported usage. */
  tokensWithoutUsage: string | null
  outcome: OutcomeView
  /** The task's score as the app recorded it; `null` when it recorded none. */
  score: ScoreView | null
  spans: string
  /** `2 errors`; `null` when no span failed. */
  errors: string | null
}

/** One row of the span tree and waterfall. */
export interface SpanRowModel {
  spanId: string
  depth: number
  orphan: boolean
  kind: SpanKind
  name: string
  step: string
  model: string
  tokens: TokenTexts
  cost: string
  /** Why the span is unpriced or how it was priced, when the collector says. */
  costNote: string | null
  duration: string
  /** What the span's OpenTelemetry status means to a person: OK, or Error with its message. */
  status: SpanStatusView
  isError: boolean
  /** Bar start as a fraction of the waterfall, in [0, 1]. */
  offset: number
  /** Bar length as a fraction of the waterfall, in [0, 1]. */
  width: number
  /** Where the bar sits, in words, for its tooltip and accessible name. */
  timing: string
}

/** Everything the task page renders. */
export interface TaskDetailModel {
  header: TaskHeaderModel
  spans: SpanRowModel[]
  /** Length of the waterfall, e.g. `12.3 s`. */
  timeline: string
  isEmpty: boolean
}

const UNKNOWN_TOKENS: TokenTexts = {
  input: UNKNOWN,
  output: UNKNOWN,
  cacheRead: UNKNOWN,
  cacheWrite: UNKNOWN,
  reasoning: UNKNOWN,
}

const NOT_APPLICABLE_TOKENS: TokenTexts = {
  input: NO_VALUE,
  output: NO_VALUE,
  cacheRead: NO_VALUE,
  cacheWrite: NO_VALUE,
  reasoning: NO_VALUE,
}

/** Kinds that call a model and so have usage and a price; other spans have neither. */
const BILLED_KINDS: ReadonlySet<string> = new Set(['llm', 'embedding'])

function tokenTexts(kind: string, usage: SpanUsage | null): TokenTexts {
  if (!BILLED_KINDS.has(kind)) return NOT_APPLICABLE_TOKENS
  if (usage === null) return UNKNOWN_TOKENS
  return {
    input: formatTokens(usage.inputTokens),
    output: formatTokens(usage.outputTokens),
    cacheRead: formatTokens(usage.cacheReadTokens),
    cacheWrite: formatTokens(usage.cacheWriteTokens),
    reasoning: formatTokens(usage.reasoningTokens),
  }
}

// The task row carries input and output only; the other kinds are summed over the spans that
// reported usage, and stay unknown when none did.
function taskTokens(detail: TaskDetail): TokenTexts {
  const known = detail.spans.flatMap((span) => (span.usage === null ? [] : [span.usage]))
  const sum = (kind: keyof SpanUsage): string =>
    known.length === 0
      ? UNKNOWN
      : formatTokens(known.reduce((total, usage) => total + usage[kind], 0))
  // No model call reported usage: the sums' zeros are not known zeros.
  const allUnknown =
    detail.task.callsWithoutUsage > 0 && detail.task.callsWithoutUsage >= detail.task.llmCalls
  return {
    input: allUnknown ? UNKNOWN : formatTokens(detail.task.inputTokens),
    output: allUnknown ? UNKNOWN : formatTokens(detail.task.outputTokens),
    cacheRead: sum('cacheReadTokens'),
    cacheWrite: sum('cacheWriteTokens'),
    reasoning: sum('reasoningTokens'),
  }
}

// A model call without a price is `unpriced`; a task, step or tool span has no price to
// miss (`—`), unless the app gave the tool a fee. Exact, as the task's total: the spans'
// costs add up to it digit for digit.
function spanCost(span: TaskDetail['spans'][number]): string {
  if (span.priced && span.costUsd !== null) return formatUsdExact(span.costUsd)
  return BILLED_KINDS.has(span.kind) ? UNPRICED : NO_VALUE
}

/** Options of `prepareTaskDetail`. */
export interface TaskDetailOptions {
  /** Time zone of the start time. @default the browser's */
  timeZone?: string
}

/**
 * Prepares `GET /api/v1/tasks/:taskId` for the task page: the header's totals and one row per
 * span in tree order with its waterfall bar (layout rules on `layoutSpans`, null rules in
 * `./index`).
 */
export function prepareTaskDetail(
  detail: TaskDetail,
  options: TaskDetailOptions = {},
): TaskDetailModel {
  const { task } = detail
  const layout = layoutSpans(detail.spans, task)
  const errors = detail.spans.filter((span) => span.status === 'error').length

  return {
    header: {
      taskId: task.taskId,
      name: displayTaskName(task.name),
      start: formatTimestamp(task.startTime, options.timeZone),
      duration: formatDuration(durationMillis(task.startTime, task.endTime)),
      ...taskCostFields(task.costUsd, task.unpricedCalls, { exact: true }),
      llmCalls: formatCount(task.llmCalls),
      toolCalls: formatCount(task.toolCalls),
      tokens: taskTokens(detail),
      tokensWithoutUsage: withoutUsageNote(task.callsWithoutUsage),
      outcome: outcomeView(task.outcome),
      score: scoreView(task.score),
      spans: formatCount(detail.spans.length),
      errors: errors === 0 ? null : `${formatCount(errors)} ${errors === 1 ? 'error' : 'errors'}`,
    },
    spans: layout.spans.map(({ span, depth, orphan, offset, width }) => {
      const duration = formatDuration(durationMillis(span.startTime, span.endTime))
      const startsAt = formatDuration(offset * layout.durationMillis)
      const status = spanStatusView(span.status, span.statusMessage)
      const timing = `starts at +${startsAt}, lasts ${duration}`
      return {
        spanId: span.spanId,
        depth,
        orphan,
        kind: span.kind,
        name: span.name === '' ? NO_VALUE : span.name,
        step: span.step ?? NO_VALUE,
        model: span.model ?? NO_VALUE,
        tokens: tokenTexts(span.kind, span.usage),
        cost: spanCost(span),
        costNote: span.priceReason,
        duration,
        status,
        isError: status.tone === 'error',
        offset,
        width,
        timing: status.tone === 'error' ? `${timing}; ${status.title}` : timing,
      }
    }),
    timeline: formatDuration(layout.durationMillis),
    isEmpty: detail.spans.length === 0,
  }
}
