import type { TaskOutcome } from '../api/types'
import { formatUsd } from './format-money'
import { formatCount } from './format-tokens'
import { NO_VALUE, UNPRICED } from './placeholders'

/** How an outcome is drawn: a tone for the colour, a word for the text. */
export interface OutcomeView {
  text: string
  tone: 'success' | 'failure' | 'none'
}

/**
 * The cost of a whole task. `null` (nothing priced) reads `unpriced`, and so does a zero made
 * only of priced calls when others went unpriced: `$0.00` would claim the task was free.
 */
export function taskCostText(costUsd: number | null, unpricedCalls: number): string {
  if (costUsd === null || (costUsd === 0 && unpricedCalls > 0)) return UNPRICED
  return formatUsd(costUsd)
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
): { cost: string; unpriced: string | null } {
  const cost = taskCostText(costUsd, unpricedCalls)
  return { cost, unpriced: unpricedBadge(unpricedCalls, cost) }
}

/** How a task's outcome reads; an outcome the app never reported reads `—`. */
export function outcomeView(outcome: TaskOutcome): OutcomeView {
  if (outcome === '') return { text: NO_VALUE, tone: 'none' }
  return { text: outcome, tone: outcome }
}
