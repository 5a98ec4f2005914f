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

/** The `n unpriced` badge of a task, or `null` when every call was priced. */
export function unpricedBadge(unpricedCalls: number): string | null {
  return unpricedCalls > 0 ? `${formatCount(unpricedCalls)} unpriced` : null
}

/** How a task's outcome reads; an outcome the app never reported reads `—`. */
export function outcomeView(outcome: TaskOutcome): OutcomeView {
  if (outcome === '') return { text: NO_VALUE, tone: 'none' }
  return { text: outcome, tone: outcome }
}
