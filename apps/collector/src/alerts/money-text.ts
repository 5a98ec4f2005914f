import { USD_SCALE, usdToPico } from '@agentmeter/core'

/** Fractional digits an amount is shown with at least: the sub-cent costs of single calls. */
const DISPLAY_DIGITS = 6

/**
 * The amounts of one alert message as text: `$`, at least two decimals, trailing zeros trimmed
 * (`$12.50`, `$0.000051`). Each is cut, not rounded, to six decimals, or to more when two
 * different amounts of the message would otherwise read alike, up to the 12 the store keeps:
 * a cost of $0.0010004 above a threshold of $0.001 reads `$0.0010004`, never `$0.001`. Cutting
 * all of them at the same digit keeps each on its side of the others. The digits come from the
 * exact decimal, never from a double, so no float noise shows. A missing amount reads `unknown`.
 */
export function formatUsdAmounts(values: ReadonlyArray<string | null>): string[] {
  const amounts = values.map((value) => (value === null || value === '' ? null : usdToPico(value)))
  const known = [...new Set(amounts.filter((pico): pico is bigint => pico !== null))]
  let digits = DISPLAY_DIGITS
  while (digits < USD_SCALE && !allApart(known, digits)) digits += 1
  return amounts.map((pico) => (pico === null ? 'unknown' : render(pico, digits)))
}

/** One amount on its own, at display precision (see `formatUsdAmounts`). */
export function formatUsd(value: string | null): string {
  return formatUsdAmounts([value])[0]!
}

/** Whether the distinct amounts stay distinct when cut to `digits` decimals. */
function allApart(picos: bigint[], digits: number): boolean {
  const unit = 10n ** BigInt(USD_SCALE - digits)
  return new Set(picos.map((pico) => pico / unit)).size === picos.length
}

function render(pico: bigint, digits: number): string {
  const negative = pico < 0n
  const text = (negative ? -pico : pico).toString().padStart(USD_SCALE + 1, '0')
  const whole = text.slice(0, text.length - USD_SCALE)
  const fraction = text
    .slice(text.length - USD_SCALE, text.length - USD_SCALE + digits)
    .replace(/0+$/, '')
    .padEnd(2, '0')
  return `${negative ? '-' : ''}$${whole}.${fraction}`
}
