import { UNPRICED } from './placeholders'

/**
 * Money, the one rule of the whole dashboard:
 * - `formatUsd`, every figure: at least two decimals and at least two significant digits,
 *   with thousands separators, trailing zeros kept. From 10 cents up that is plain dollars and
 *   cents (`$1,234.57`, `$0.83`, `$0.58`); below, the decimals the first two significant digits
 *   need (`$0.076`, `$0.0014`, `$0.0000095`), so a small per-task cost never reads `$0.00` and
 *   two of them can be told apart. Figures of the same size always have the same decimals.
 * - `formatUsdExact`, where exactness is the point (a task's cost and its spans' on the task
 *   page, the price book): every digit the amount has, at least two decimals (`$0.02847525`).
 * - `formatUsdTick`, chart axes: round tick values read as typed (`$0.02`, not `$0.020`).
 * Unknown amounts (`null`, nothing priced) read `unpriced`, never `$0.00`.
 */

const SIGNIFICANT_DIGITS = 2
const MIN_DECIMALS = 2
// Node 20's Intl takes at most 20 fraction digits; stored amounts have 12 (Decimal(38, 12)).
const MAX_DECIMALS = 20

const decimalFormats = new Map<number, Intl.NumberFormat>()

function withDecimals(decimals: number): Intl.NumberFormat {
  let format = decimalFormats.get(decimals)
  if (format === undefined) {
    format = new Intl.NumberFormat('en-US', {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
      roundingMode: 'halfExpand',
    })
    decimalFormats.set(decimals, format)
  }
  return format
}

const EXACT = new Intl.NumberFormat('en-US', {
  minimumFractionDigits: MIN_DECIMALS,
  maximumFractionDigits: MAX_DECIMALS,
})

function isUnknown(amountUsd: number | string | null | undefined): amountUsd is null | undefined {
  return (
    amountUsd === null ||
    amountUsd === undefined ||
    (typeof amountUsd === 'number' && !Number.isFinite(amountUsd))
  )
}

function withSign(negative: boolean, digits: string): string {
  return `${negative ? '-' : ''}$${digits}`
}

/** Decimals that give `amount` (> 0) `SIGNIFICANT_DIGITS` significant digits, at least two. */
function decimalsFor(amount: number): number {
  const magnitude = Math.floor(Math.log10(amount))
  return Math.min(MAX_DECIMALS, Math.max(MIN_DECIMALS, SIGNIFICANT_DIGITS - 1 - magnitude))
}

/** An amount in USD by the dashboard's rule (see above): `$0.58`, `$0.076`, `$1,234.57`. */
export function formatUsd(amountUsd: number | null | undefined): string {
  if (isUnknown(amountUsd)) return UNPRICED
  const amount = Math.abs(amountUsd)
  if (amount === 0) return '$0.00'
  const decimals = decimalsFor(amount)
  let text = withDecimals(decimals).format(amount)
  // Rounding can carry into the next power of ten (0.0996 → 0.100), which needs a decimal less.
  const carried = decimalsFor(Number(text.replaceAll(',', '')))
  if (carried < decimals) text = withDecimals(carried).format(amount)
  return withSign(amountUsd < 0, text)
}

/**
 * An amount with every digit it has, at least two decimals: `0.02847525` is `$0.02847525`. A
 * number is written as its shortest exact decimal (what the API's decimal became), a decimal
 * string as it is, so `"2.500000000000"` reads `$2.50` and nothing is rounded.
 */
export function formatUsdExact(amountUsd: number | string | null | undefined): string {
  if (isUnknown(amountUsd)) return UNPRICED
  const text = String(amountUsd).trim()
  const negative = text.startsWith('-')
  const digits = negative ? text.slice(1) : text
  // A string is formatted as the exact decimal it spells (Intl.NumberFormat v3).
  return withSign(negative && Number(digits) !== 0, EXACT.format(digits as `${number}`))
}

/**
 * A chart's axis tick: the rule of `formatUsd` with trailing zeros past the cents dropped, since
 * ticks are round values (`$0.02`, `$0.025`, `$1,000.00`).
 */
export function formatUsdTick(amountUsd: number): string {
  const text = formatUsd(amountUsd)
  return text.replace(/(\.\d\d\d*?)0+$/, '$1')
}
