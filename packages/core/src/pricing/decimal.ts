/**
 * Exact money arithmetic. Costs are carried as bigint counts of 1e-12 USD (pico-dollars), the
 * scale of the `Decimal(38, 12)` columns they are stored in, so that a row's cost and every sum
 * of rows are exact: doubles would turn 22 × $0.15/M into 0.0000032999999999999997.
 */

/** Fractional digits kept for money. */
export const USD_SCALE = 12

const SCALE = 10n ** BigInt(USD_SCALE)

/** Parses a decimal number (a JS number or a decimal string) into units of 10^-scale, exactly. */
export function parseDecimal(value: number | string, scale: number): bigint {
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim()
  const match = /^(-?)(\d*)(?:\.(\d*))?$/.exec(text)
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) {
    throw new RangeError(`not a decimal number: ${JSON.stringify(text)}`)
  }
  const [, sign, whole = '', fraction = ''] = match
  const kept = fraction.slice(0, scale).padEnd(scale, '0')
  let units = BigInt(whole || '0') * 10n ** BigInt(scale) + BigInt(kept || '0')
  // Round half up on the first dropped digit, so that a value with more digits than the scale
  // lands on the nearest unit instead of being truncated.
  const dropped = fraction.slice(scale)
  if (dropped !== '' && dropped.charCodeAt(0) >= 53) units += 1n
  return sign === '-' ? -units : units
}

/** Formats units of 10^-scale as a plain decimal string with exactly `scale` fractional digits. */
export function formatDecimal(units: bigint, scale: number): string {
  const negative = units < 0n
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0')
  const whole = digits.slice(0, digits.length - scale)
  const fraction = digits.slice(digits.length - scale)
  return `${negative ? '-' : ''}${whole}${scale > 0 ? `.${fraction}` : ''}`
}

/** USD as pico-dollars. */
export function usdToPico(value: number | string): bigint {
  return parseDecimal(value, USD_SCALE)
}

/** Pico-dollars as a `Decimal(38, 12)` string, e.g. `0.007500000000`. */
export function picoToUsd(pico: bigint): string {
  return formatDecimal(pico, USD_SCALE)
}

/** Pico-dollars shared out over `count` (> 0), exact, rounded half up (costs are never negative). */
export function dividePico(pico: bigint, count: number): bigint {
  const divisor = BigInt(count)
  return (pico * 2n + divisor) / (divisor * 2n)
}

/**
 * A decimal USD total (as ClickHouse's `toString` of a Decimal gives it) per unit, to the
 * pico-dollar: a double division would answer 0.0004976000000000001 for 0.0024880 / 5. Null
 * when the total is unknown or there is nothing to share it over.
 */
export function usdPerUnit(total: string | null | undefined, count: number): number | null {
  if (total == null || count <= 0) return null
  return Number(picoToUsd(dividePico(usdToPico(total), count)))
}

/** Decimal USD string to a JS number, for JSON responses (display precision only). */
export function usdToNumber(value: string | null): number | null {
  return value === null ? null : Number(value)
}

/**
 * The shortest decimal text of a double without exponent notation. Price tables hold values
 * such as 0.075 or 1.25e-7; the shortest round-trip form is the value the table author wrote.
 */
function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`)
  const text = String(value)
  if (!/e/i.test(text)) return text
  const [mantissa = '', exponentText = '0'] = text.toLowerCase().split('e')
  const exponent = Number(exponentText)
  const negative = mantissa.startsWith('-')
  const [intPart = '', fracPart = ''] = mantissa.replace('-', '').split('.')
  const digits = intPart + fracPart
  const point = intPart.length + exponent
  let plain: string
  if (point <= 0) plain = `0.${'0'.repeat(-point)}${digits}`
  else if (point >= digits.length) plain = digits + '0'.repeat(point - digits.length)
  else plain = `${digits.slice(0, point)}.${digits.slice(point)}`
  return negative ? `-${plain}` : plain
}

export { SCALE as PICO_PER_USD }
