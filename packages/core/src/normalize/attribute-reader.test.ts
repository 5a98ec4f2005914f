import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { stringifyValue } from './attribute-reader'
import type { AttributeValue } from './otlp-span'

/** The general form every value once went through: JSON with bigints as decimal strings. */
function reference(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'bigint' ? inner.toString() : inner,
  )
}

describe('stringifyValue', () => {
  it('writes arrays of scalars as the general JSON form does', () => {
    const scalar = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null))
    fc.assert(
      fc.property(fc.array(scalar), (values) => {
        expect(stringifyValue(values as AttributeValue)).toBe(reference(values))
      }),
      { numRuns: 1000 },
    )
  })

  it('keeps bigints inside arrays and maps as decimal strings', () => {
    expect(stringifyValue([1n, 'a'] as AttributeValue)).toBe('["1","a"]')
    expect(stringifyValue({ big: 2n ** 64n, list: [3n] } as AttributeValue)).toBe(
      '{"big":"18446744073709551616","list":["3"]}',
    )
  })

  it('writes scalars as text', () => {
    expect(stringifyValue('text')).toBe('text')
    expect(stringifyValue(1.5)).toBe('1.5')
    expect(stringifyValue(true)).toBe('true')
    expect(stringifyValue(12n)).toBe('12')
    expect(stringifyValue(new Uint8Array([1, 2, 3]))).toBe('AQID')
  })
})
