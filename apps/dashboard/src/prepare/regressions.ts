import { CHANGE_PARTS, type RegressionRow } from '../api/explore'
import type { CsvCell } from './csv'
import { formatChange, formatCount, formatPercent, formatUsd, signed } from './format'
import { NO_VALUE } from './placeholders'
import { displayTaskName } from './task-name'

export interface PartView {
  name: string
  label: string
  value: string
  usd: number
}

export interface RegressionView {
  id: string
  taskName: string
  label: string
  group: string
  baselineGroup: string
  baselineCost: string
  cost: string
  change: string
  changeShare: string
  /** True when cost per task went up. */
  worse: boolean
  /** The parts, largest effect first; empty without a baseline. */
  parts: PartView[]
  /** The largest part in words, e.g. `mostly: Longer prompts`. */
  driver: string
  details: string
  csv: CsvCell[]
}

const ROUNDING_USD = 1e-12

export const REGRESSIONS_CSV_HEADER = [
  'task_name',
  'group',
  'baseline_group',
  'baseline_cost_per_task_usd',
  'cost_per_task_usd',
  'change_usd',
  ...CHANGE_PARTS.map((part) => `${part.name}_usd`),
]

/**
 * Rows of the Regressions table. Null versus zero: a task type without a baseline has no change
 * (`—`, no parts), which is not the same as a change of `$0.00`.
 */
export function prepareRegressions(rows: RegressionRow[]): RegressionView[] {
  return rows.map((row) => {
    const parts = row.parts
      ? CHANGE_PARTS.map((part) => {
          // Rounding noise of the chained products (about 1e-18) is no change.
          const raw = row.parts![part.name]
          const usd = Math.abs(raw) < ROUNDING_USD ? 0 : raw
          return { name: part.name, label: part.label, usd, value: signed(formatUsd(usd), usd) }
        }).sort((a, b) => Math.abs(b.usd) - Math.abs(a.usd))
      : []
    const top = parts[0]
    const figures = [
      row.current.callsPerTask === null
        ? null
        : `${row.current.callsPerTask.toFixed(2)} calls/task`,
      row.current.inputTokensPerCall === null
        ? null
        : `${formatCount(Math.round(row.current.inputTokensPerCall))} input tokens/call`,
      row.current.cacheHitShare === null
        ? null
        : `${formatPercent(row.current.cacheHitShare)} cache hits`,
      row.current.topModel,
    ].filter((item): item is string => item !== null)
    return {
      id: `${row.taskName}|${row.current.group}`,
      taskName: row.taskName,
      label: displayTaskName(row.taskName),
      group: row.current.group,
      baselineGroup: row.baseline?.group ?? NO_VALUE,
      baselineCost:
        row.baselineCostPerTaskUsd === null ? NO_VALUE : formatUsd(row.baselineCostPerTaskUsd),
      cost: formatUsd(row.costPerTaskUsd),
      change: row.changeUsd === null ? NO_VALUE : signed(formatUsd(row.changeUsd), row.changeUsd),
      changeShare: formatChange(row.changeShare),
      worse: (row.changeUsd ?? 0) > 0,
      parts,
      driver:
        top && top.usd !== 0 ? `mostly: ${top.label}` : row.parts ? 'no change' : 'no baseline',
      details: figures.join(' · '),
      csv: [
        row.taskName,
        row.current.group,
        row.baseline?.group ?? null,
        row.baselineCostPerTaskUsd,
        row.costPerTaskUsd,
        row.changeUsd,
        ...CHANGE_PARTS.map((part) => (row.parts ? row.parts[part.name] : null)),
      ],
    }
  })
}
