import type { CostRow, TaskSummary } from '../api/types'
import { formatUsd } from './format-money'
import { formatCount } from './format-tokens'
import { NO_VALUE } from './placeholders'
import { taskCostText } from './task-fields'

/** The task list the summary may count failures in, with the limit it was asked for. */
export interface ListedTasks {
  tasks: TaskSummary[]
  limit: number
}

/** The headline numbers of the cost-per-task page. */
export interface CostSummaryModel {
  /** The priced spend; null when there are rows and none of them could be priced. */
  totalSpendUsd: number | null
  totalSpend: string
  tasks: string
  successfulTasks: string
  failures: string
  costPerSuccessfulTask: string
  /** The successes of unknown spend it leaves out; null when there are none. */
  costPerSuccessfulTaskNote: string | null
}

function countFailures(rows: CostRow[], listed: ListedTasks | null): string {
  const fromRows = rows.map((row) => row.failedTasks)
  if (fromRows.every((count) => count !== null)) {
    return formatCount(fromRows.reduce<number>((sum, count) => sum + (count ?? 0), 0))
  }
  if (listed === null) return NO_VALUE
  const failures = listed.tasks.filter((task) => task.outcome === 'failure').length
  // A full page may have left tasks out, so what it holds is only a floor.
  const truncated = listed.tasks.length >= listed.limit
  return truncated ? `≥ ${formatCount(failures)}` : formatCount(failures)
}

/**
 * Totals over `GET /api/v1/costs?groupBy=task_name` rows (narrowed to one task name when `name`
 * is set): spend, tasks, failures and cost per successful task. The cost rows have no failure
 * count in the contract yet, so failures come from the rows' `failedTasks` when the collector
 * sends it, otherwise from the listed tasks. Null rules in `./index`.
 */
export function prepareCostSummary(
  rows: CostRow[],
  name: string | null,
  listed: ListedTasks | null,
): CostSummaryModel {
  const selected = rows.filter((row) => name === null || row.key === name)
  const priced = selected.filter((row) => row.costUsd !== null)
  const totalSpendUsd =
    selected.length > 0 && priced.length === 0
      ? null
      : priced.reduce((sum, row) => sum + (row.costUsd ?? 0), 0)
  const unpricedCalls = selected.reduce((sum, row) => sum + row.unpricedCalls, 0)
  const tasks = selected.reduce((sum, row) => sum + row.tasks, 0)
  const successes = selected.reduce((sum, row) => sum + row.successfulTasks, 0)
  // Successes of unknown spend add nothing to the spend, so they are not counted under it
  // either (as the collector counts each row's cost per successful task).
  const unknownSuccesses = selected.reduce((sum, row) => sum + row.unpricedOnlySuccessfulTasks, 0)
  const pricedSuccesses = successes - unknownSuccesses
  return {
    totalSpendUsd,
    totalSpend: taskCostText(totalSpendUsd, unpricedCalls),
    tasks: formatCount(tasks),
    successfulTasks: formatCount(successes),
    failures: countFailures(selected, listed),
    costPerSuccessfulTask:
      pricedSuccesses > 0 && totalSpendUsd !== null
        ? formatUsd(totalSpendUsd / pricedSuccesses)
        : NO_VALUE,
    costPerSuccessfulTaskNote:
      unknownSuccesses > 0 ? `${formatCount(unknownSuccesses)} without any price left out` : null,
  }
}
