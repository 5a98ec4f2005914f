import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { quoteLongIntegers } from './json-text'

/** What parsing after quoteLongIntegers yields: long integer literals become their digits. */
function withLongIntegersAsText(value: unknown): unknown {
  if (typeof value === 'number') return /^-?\d{16,}$/.test(String(value)) ? String(value) : value
  if (Array.isArray(value)) return value.map(withLongIntegersAsText)
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, withLongIntegersAsText(item)]),
    )
  }
  return value
}

describe('quoteLongIntegers', () => {
  it('should quote unquoted integers of 16 or more digits and nothing else', () => {
    const text =
      '{"a":1738074845669299666,"b":[-9223372036854775808, 123456789012345],' +
      '"c":"x\\"1234567890123456789\\\\","d":1.2345678901234567,"e":12345678901234567e2,' +
      '"f":1234567890123456,"g" : 0}'

    expect(quoteLongIntegers(text)).toBe(
      '{"a":"1738074845669299666","b":["-9223372036854775808", 123456789012345],' +
        '"c":"x\\"1234567890123456789\\\\","d":1.2345678901234567,"e":12345678901234567e2,' +
        '"f":"1234567890123456","g" : 0}',
    )
  })

  it('should return the same text when there is nothing to quote', () => {
    const text = '{"startTimeUnixNano":"1738074845669299666","n":[1,-2.5e10,"12345678901234567"]}'

    expect(quoteLongIntegers(text)).toBe(text)
  })

  it('should keep any JSON value intact apart from turning long integers into their digits', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.array(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), { maxLength: 4 }),
        (value, integers) => {
          const text = JSON.stringify({ value, integers: '__INTEGERS__' }).replace(
            '"__INTEGERS__"',
            `[${integers.join(',')}]`,
          )

          const parsed = JSON.parse(quoteLongIntegers(text)) as {
            value: unknown
            integers: unknown[]
          }

          expect(parsed.value).toEqual(withLongIntegersAsText(JSON.parse(JSON.stringify(value))))
          expect(parsed.integers).toEqual(
            integers.map((n) =>
              n.toString().replace('-', '').length >= 16 ? n.toString() : Number(n),
            ),
          )
        },
      ),
      { numRuns: 500 },
    )
  })
})
