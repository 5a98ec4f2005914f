import { dividePico, picoToUsd } from '@agentmeter/core'

/** Spend of a set of tasks, as the what-if route reports it. */
export interface CostSummary {
  totalCostUsd: number
  tasks: number
  /** Total divided by tasks; null with no task. */
  costPerTaskUsd: number | null
  /** Nearest-rank percentiles of cost per task; null with no task. */
  p50TaskCostUsd: number | null
  p95TaskCostUsd: number | null
}

/** Summarizes exact task costs (pico-USD); the only rounding is the final number conversion. */
export function summarize(taskCosts: readonly bigint[]): CostSummary {
  const total = taskCosts.reduce((sum, cost) => sum + cost, 0n)
  const sorted = [...taskCosts].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  return {
    totalCostUsd: toUsd(total),
    tasks: sorted.length,
    costPerTaskUsd: sorted.length === 0 ? null : toUsd(dividePico(total, sorted.length)),
    p50TaskCostUsd: nearestRank(sorted, 0.5),
    p95TaskCostUsd: nearestRank(sorted, 0.95),
  }
}

export function toUsd(pico: bigint): number {
  return Number(picoToUsd(pico))
}

function nearestRank(sorted: readonly bigint[], quantile: number): number | null {
  if (sorted.length === 0) return null
  const rank = Math.max(1, Math.ceil(quantile * sorted.length))
  return toUsd(sorted[rank - 1]!)
}
