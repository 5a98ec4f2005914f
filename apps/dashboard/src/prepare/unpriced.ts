import type { UnpricedReport } from '../api/pricing'
import { formatCount, formatPercent } from './format'

export interface UnpricedRow {
  key: string
  model: string
  provider: string
  calls: string
  share: string
  reason: string
}

export interface UnpricedModel {
  /** One sentence: the unpriced share of model calls, e.g. `25% of calls (1 of 4) unpriced`. */
  summary: string
  /** True when some calls are unpriced: their cost is missing from every total. */
  hasUnpriced: boolean
  rows: UnpricedRow[]
}

/**
 * The unpriced panel: a call without a price is never shown as $0, so the share of such calls
 * and the models behind them are spelled out (zero unpriced calls is worth saying too).
 */
export function prepareUnpriced(report: UnpricedReport): UnpricedModel {
  const { totalCalls, unpricedCalls } = report
  const summary =
    totalCalls === 0
      ? 'No model calls in this range.'
      : unpricedCalls === 0
        ? `Every model call is priced (${formatCount(totalCalls)} of ${formatCount(totalCalls)}).`
        : `${formatPercent(report.unpricedShare)} of calls (${formatCount(unpricedCalls)} of ${formatCount(totalCalls)}) unpriced: their cost is missing from the totals above.`
  return {
    summary,
    hasUnpriced: unpricedCalls > 0,
    rows: report.models.map((row) => ({
      key: `${row.provider}\u0000${row.model}`,
      model: row.model || '(no model)',
      provider: row.provider || '—',
      calls: formatCount(row.calls),
      share: formatPercent(row.share),
      reason: row.reason,
    })),
  }
}
