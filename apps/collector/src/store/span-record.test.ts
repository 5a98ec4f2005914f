import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { hashToUInt64, nanosToDateTime64 } from './span-record'

/** The plain BigInt conversion the fast path must agree with. */
function reference(nanos: bigint): string {
  const iso = new Date(Number(nanos / 1_000_000_000n) * 1000).toISOString()
  const fraction = (nanos % 1_000_000_000n).toString().padStart(9, '0')
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${fraction}`
}

describe('nanosToDateTime64', () => {
  it('formats epoch nanoseconds as a UTC DateTime64(9) literal', () => {
    expect(nanosToDateTime64('1764835200123456789')).toBe('2025-12-04 08:00:00.123456789')
    expect(nanosToDateTime64('0')).toBe('1970-01-01 00:00:00.000000000')
    expect(nanosToDateTime64('999')).toBe('1970-01-01 00:00:00.000000999')
    expect(nanosToDateTime64('9223372036854775807')).toBe('2262-04-11 23:47:16.854775807')
  })

  it('agrees with the BigInt conversion over the whole range, leading zeros included', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }), fc.nat(3), (nanos, zeros) => {
        expect(nanosToDateTime64('0'.repeat(zeros) + nanos.toString())).toBe(reference(nanos))
      }),
      { numRuns: 2000 },
    )
  })

  it('refuses times the column cannot hold, naming the value', () => {
    expect(() => nanosToDateTime64('9223372036854775808')).toThrow(/9223372036854775808 ns/)
    expect(() => nanosToDateTime64('-1')).toThrow(RangeError)
  })
})

describe('hashToUInt64', () => {
  it('should give the edges exactly, and 0 for what is not a hash', () => {
    expect(hashToUInt64('ffffffffffffffff')).toBe('18446744073709551615')
    expect(hashToUInt64('0000000000000000')).toBe('0')
    expect(hashToUInt64('00000000000f4240')).toBe('1000000')
    expect(hashToUInt64('0000000100000000')).toBe('4294967296')
    expect(hashToUInt64('000000e8d4a51000')).toBe('1000000000000')
    expect(hashToUInt64('1')).toBe('1')
    for (const bad of ['', '1ffffffffffffffff', 'xyz', '0x12', '12 ', '-1']) {
      expect(hashToUInt64(bad), bad).toBe('0')
    }
  })
})
