import type { Showback } from '../api/explore'
import type { CsvCell } from './csv'
import { formatCount, formatPercent, formatUsd } from './format'
import { taskCostText } from './task-fields'

/** How spend without the dimension's attribute is labelled. */
export const NOT_SET = '(not set)'

export interface ShowbackTableRow {
  id: string
  month: string | null
  key: string
  label: string
  cost: string
  tasks: string
  share: string
  /** `n unpriced calls` when some of the spend could not be priced, else `''`. */
  unpriced: string
  csv: CsvCell[]
}

export interface ShowbackModel {
  total: string
  rows: ShowbackTableRow[]
  csvHeader: string[]
}

/**
 * Rows of a showback table (or of the monthly report, one row per month and value). Shares are
 * of the whole range; with no spend at all they are `—`. CSV cells keep exact numbers, not the
 * rounded text.
 */
export function prepareShowback(data: Showback, dimensionLabel: string): ShowbackModel {
  const monthly = data.rows.some((row) => row.month !== null)
  return {
    total: formatUsd(data.totalCostUsd),
    csvHeader: [
      ...(monthly ? ['month'] : []),
      dimensionLabel.toLowerCase(),
      'cost_usd',
      'tasks',
      'share',
      'unpriced_calls',
    ],
    rows: data.rows.map((row) => {
      const label = row.key === '' ? NOT_SET : row.key
      return {
        id: `${row.month ?? ''}|${row.key}`,
        month: row.month,
        key: row.key,
        label,
        cost: taskCostText(row.costUsd, row.unpricedCalls),
        tasks: formatCount(row.tasks),
        share: formatPercent(row.share),
        unpriced:
          row.unpricedCalls > 0
            ? `${formatCount(row.unpricedCalls)} unpriced call${row.unpricedCalls === 1 ? '' : 's'}`
            : '',
        csv: [
          ...(monthly ? [row.month] : []),
          label,
          row.costUsd,
          row.tasks,
          row.share,
          row.unpricedCalls,
        ],
      }
    }),
  }
}
