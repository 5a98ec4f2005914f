import { UNPRICED } from './placeholders'

const DOLLARS = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
})

// Three significant digits tell apart the sub-cent amounts that single LLM calls cost.
const SIGNIFICANT_DIGITS = 3

/**
 * Formats an amount in USD. From $1 up: cents with thousands separators (`$1,234.57`). Below $1:
 * three significant digits, trailing zeros dropped but at least two decimals (`$0.50`, `$0.0123`,
 * `$0.0000051`), so a sub-cent cost never reads as `$0.00`. `null` (nothing priced) reads
 * `unpriced`.
 */
export function formatUsd(amountUsd: number | null | undefined): string {
  if (amountUsd === null || amountUsd === undefined || Number.isNaN(amountUsd)) return UNPRICED
  const sign = amountUsd < 0 ? '-' : ''
  const amount = Math.abs(amountUsd)
  if (amount === 0) return '$0.00'
  if (amount >= 1) return `${sign}$${DOLLARS.format(amount)}`

  const decimals = Math.max(2, SIGNIFICANT_DIGITS - 1 - Math.floor(Math.log10(amount)))
  const fixed = amount.toFixed(Math.min(decimals, 100))
  const trimmed = fixed.replace(/0+$/, '')
  const [whole = '0', fraction = ''] = trimmed.split('.')
  return `${sign}$${whole}.${fraction.padEnd(2, '0')}`
}
