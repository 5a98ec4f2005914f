/**
 * 64-bit integers without precision loss. OTLP timestamps are uint64 nanoseconds (about 1.7e18
 * today, far past 2^53) and `intValue` is int64, so neither fits a double in general. Timestamps
 * leave the decoders as decimal strings; integers as numbers when safe, else bigint.
 */

const TWO_POW_32 = 4294967296
/** Below this high word a uint64 is under 2^53 and plain double arithmetic stays exact. */
const SAFE_HIGH_WORD = 0x200000
const UINT64_MAX = (1n << 64n) - 1n
const INT64_MIN = -(1n << 63n)
const INT64_MAX = (1n << 63n) - 1n

/** The decimal text of the uint64 with 32-bit words `lo` and `hi` (both read as unsigned). */
export function uint64ToDecimal(lo: number, hi: number): string {
  const high = hi >>> 0
  const low = lo >>> 0
  if (high < SAFE_HIGH_WORD) return String(high * TWO_POW_32 + low)
  return ((BigInt(high) << 32n) | BigInt(low)).toString()
}

/** The int64 (two's complement) with 32-bit words `lo` and `hi`: a number when safe. */
export function int64ToValue(lo: number, hi: number): number | bigint {
  const high = hi | 0
  const low = lo >>> 0
  if (high >= -SAFE_HIGH_WORD && high < SAFE_HIGH_WORD) {
    const value = high * TWO_POW_32 + low
    if (Number.isSafeInteger(value)) return value
  }
  return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(low))
}

/** The uint64 with 32-bit words `lo` and `hi`, as a number when safe, else bigint. */
export function uint64ToValue(lo: number, hi: number): number | bigint {
  const high = hi >>> 0
  const low = lo >>> 0
  if (high < SAFE_HIGH_WORD) return high * TWO_POW_32 + low
  return (BigInt(high) << 32n) | BigInt(low)
}

const UNSIGNED_DECIMAL = /^\d+$/
const SIGNED_DECIMAL = /^[-+]?\d+$/

/**
 * Canonical decimal text of a uint64 given as decimal text ("007" becomes "7"), or undefined
 * when the text is not an integer in [0, 2^64).
 */
export function parseUint64Decimal(text: string): string | undefined {
  if (!UNSIGNED_DECIMAL.test(text)) return undefined
  if (text.length < 16 && text.charCodeAt(0) !== 48) return text
  const value = BigInt(text)
  return value <= UINT64_MAX ? value.toString() : undefined
}

/** An int64 given as decimal text, as a number when safe, else bigint; undefined if invalid. */
export function parseInt64Decimal(text: string): number | bigint | undefined {
  if (!SIGNED_DECIMAL.test(text)) return undefined
  if (text.length < 16) return Number(text) || 0
  const value = BigInt(text)
  if (value < INT64_MIN || value > INT64_MAX) return undefined
  return Number.isSafeInteger(Number(value)) ? Number(value) : value
}
