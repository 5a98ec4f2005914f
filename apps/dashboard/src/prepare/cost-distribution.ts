import type { CostRow } from '../api/types'
import { formatUsd } from './format-money'
import { formatCount } from './format-tokens'
import { NO_VALUE } from './placeholders'
import { taskCostText } from './task-fields'
import { displayTaskName } from './task-name'

/** One task name in the distribution table. */
export interface DistributionRow {
  key: string
  name: string
  tasks: string
  p50: string
  p95: string
  costPerSuccessfulTask: string
  spend: string
}

/** One task name in the p50 / p95 bar chart; a `null` percentile draws no bar. */
export interface DistributionBar {
  name: string
  p50: number | null
  p95: number | null
}

/** Everything the cost distribution panel renders. */
export interface CostDistributionModel {
  rows: DistributionRow[]
  bars: DistributionBar[]
  /** Pixel height that gives each task name a readable pair of bars. */
  chartHeight: number
  isEmpty: boolean
}

// Axis and legend, then one row per task name.
const CHART_CHROME_PX = 64
const ROW_PX = 40

function percentile(row: CostRow, value: number | null): number | null {
  // A percentile of no tasks does not exist, whatever the server put there.
  return row.tasks > 0 ? value : null
}

function money(value: number | null): string {
  return value === null ? NO_VALUE : formatUsd(value)
}

/**
 * Prepares `GET /api/v1/costs?groupBy=task_name` rows (optionally narrowed to one task name) for
 * the distribution of cost per task: p50 and p95 per task name with its task count, spend and
 * cost per successful task, largest spend first. Null rules in `./index`.
 */
export function prepareCostDistribution(
  rows: CostRow[],
  name: string | null,
): CostDistributionModel {
  const selected = rows
    .filter((row) => name === null || row.key === name)
    // Unknown spend (nothing priced) after every known one.
    .sort((a, b) => (b.costUsd ?? -1) - (a.costUsd ?? -1) || a.key.localeCompare(b.key))

  return {
    rows: selected.map((row) => ({
      key: row.key,
      name: displayTaskName(row.key),
      tasks: formatCount(row.tasks),
      p50: money(percentile(row, row.p50TaskCostUsd)),
      p95: money(percentile(row, row.p95TaskCostUsd)),
      costPerSuccessfulTask: money(row.successfulTasks > 0 ? row.costPerSuccessfulTaskUsd : null),
      spend: taskCostText(row.costUsd, row.unpricedCalls),
    })),
    bars: selected.map((row) => ({
      name: displayTaskName(row.key),
      p50: percentile(row, row.p50TaskCostUsd),
      p95: percentile(row, row.p95TaskCostUsd),
    })),
    chartHeight: CHART_CHROME_PX + ROW_PX * selected.length,
    isEmpty: selected.length === 0,
  }
}
