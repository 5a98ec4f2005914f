import type { SpanStatus, TaskOutcome } from '../api/types'
import { formatUsd, formatUsdExact } from './format-money'
import { formatCount, formatTokens } from './format-tokens'
import { NO_VALUE, UNKNOWN, UNPRICED } from './placeholders'

/**
 * What a task's token sums leave out: `+ 2 calls without usage` (calls whose provider reported
 * none, so their tokens are unknown, not 0), or `null` when every model call reported its usage.
 */
export function withoutUsageNote(callsWithoutUsage: number): string | null {
  if (callsWithoutUsage <= 0) return null
  return `+ ${formatCount(callsWithoutUsage)} ${callsWithoutUsage === 1 ? 'call' : 'calls'} without usage`
}

/** A task's tokens in the task table: unknown when none of its model calls reported usage. */
export function taskTokensText(task: {
  inputTokens: number
  outputTokens: number
  llmCalls: number
  callsWithoutUsage: number
}): string {
  const note = withoutUsageNote(task.callsWithoutUsage)
  if (note === null)
    return `${formatTokens(task.inputTokens)} in / ${formatTokens(task.outputTokens)} out`
  if (task.callsWithoutUsage >= task.llmCalls) return `${UNKNOWN} ${note}`
  return `${formatTokens(task.inputTokens)} in / ${formatTokens(task.outputTokens)} out ${note}`
}

/** How an outcome is drawn: a tone for the colour, a word for the text. */
export interface OutcomeView {
  text: string
  tone: 'success' | 'failure' | 'none'
}

/**
 * The cost of a whole task. `null` (nothing priced) reads `unpriced`, and so does a zero made
 * only of priced calls when others went unpriced: `$0.00` would claim the task was free.
 * `exact` writes every digit (the task page), else the dashboard's rounding (lists).
 */
export function taskCostText(
  costUsd: number | null,
  unpricedCalls: number,
  { exact = false }: { exact?: boolean } = {},
): string {
  if (costUsd === null || (costUsd === 0 && unpricedCalls > 0)) return UNPRICED
  return exact ? formatUsdExact(costUsd) : formatUsd(costUsd)
}

/**
 * The badge beside a task's cost, or `null` when every call was priced: `n unpriced` beside a
 * priced sum, and only `n calls` beside a cost that already reads `unpriced` (not "unpriced 2
 * unpriced").
 */
export function unpricedBadge(unpricedCalls: number, costText: string): string | null {
  if (unpricedCalls <= 0) return null
  const count = formatCount(unpricedCalls)
  if (costText === UNPRICED) return `${count} ${unpricedCalls === 1 ? 'call' : 'calls'}`
  return `${count} unpriced`
}

/** A task's cost and the badge beside it, as the task table and the task page show them. */
export function taskCostFields(
  costUsd: number | null,
  unpricedCalls: number,
  options: { exact?: boolean } = {},
): { cost: string; unpriced: string | null } {
  const cost = taskCostText(costUsd, unpricedCalls, options)
  return { cost, unpriced: unpricedBadge(unpricedCalls, cost) }
}

/** How a task's outcome reads; an outcome the app never reported reads `—`. */
export function outcomeView(outcome: TaskOutcome): OutcomeView {
  if (outcome === '') return { text: NO_VALUE, tone: 'none' }
  return { text: outcome, tone: outcome }
}

/** A task's score as the task page shows it. */
export interface ScoreView {
  /** The recorded value, to three decimals at most: `0.82`. */
  text: string
  /** Why the value is set apart, when it is outside [0, 1]; else `null`. */
  note: string | null
}

/**
 * The score the app recorded on the task root (`agentmeter.task.score`), or `null` when it
 * recorded none. A value outside [0, 1] is shown as recorded, with the reason the
 * recommendations leave it out.
 */
export function scoreView(score: number | null): ScoreView | null {
  if (score === null || !Number.isFinite(score)) return null
  const text = String(Number(score.toFixed(3)))
  const note = score < 0 || score > 1 ? 'outside 0 to 1, so the recommendations leave it out' : null
  return { text, note }
}

/** A span's status in words. */
export interface SpanStatusView {
  /** `OK` or `Error`. */
  label: string
  tone: 'ok' | 'error'
  /** The error message of a failed span; `null` otherwise or when the app gave none. */
  message: string | null
  /** The whole status as one sentence, for a tooltip. */
  title: string
}

/**
 * OpenTelemetry's span status for a person: `unset` (what most instrumentation leaves) and
 * `ok` both mean no error was reported, and read `OK`; `error` reads `Error` with its message.
 */
export function spanStatusView(status: SpanStatus, message: string | null): SpanStatusView {
  if (status === 'error') {
    // Recorded exceptions often repeat their type (`Error: not found`); the label says it once.
    const text = message?.replace(/^Error:\s*/, '') || null
    return {
      label: 'Error',
      tone: 'error',
      message: text,
      title: text === null ? 'failed (no error message)' : `failed: ${text}`,
    }
  }
  return {
    label: 'OK',
    tone: 'ok',
    message: null,
    title: status === 'ok' ? 'no error (status set to OK)' : 'no error reported',
  }
}
