import { describe, expect, it } from 'vitest'
import { formatUsd, formatUsdExact, formatUsdTick } from './format-money'

describe('formatUsd', () => {
  it('should write null, undefined and NaN as unpriced', () => {
    expect([formatUsd(null), formatUsd(undefined), formatUsd(Number.NaN)]).toEqual([
      'unpriced',
      'unpriced',
      'unpriced',
    ])
  })

  it('should write zero as $0.00', () => {
    expect(formatUsd(0)).toEqual('$0.00')
  })

  it('should write amounts from $1 with cents and thousands separators', () => {
    expect([formatUsd(1), formatUsd(12.345), formatUsd(1234567.891)]).toEqual([
      '$1.00',
      '$12.35',
      '$1,234,567.89',
    ])
  })

  it('should write amounts from 10 cents as plain cents, trailing zero kept', () => {
    // The report that started this rule: $0.58 beside $0.826 in one column.
    expect([formatUsd(0.58), formatUsd(0.826), formatUsd(0.5), formatUsd(0.1)]).toEqual([
      '$0.58',
      '$0.83',
      '$0.50',
      '$0.10',
    ])
  })

  it('should give amounts of the same size the same decimals', () => {
    expect([0.0756, 0.07, 0.0378, 0.0105].map(formatUsd)).toEqual([
      '$0.076',
      '$0.070',
      '$0.038',
      '$0.011',
    ])
    expect([0.00117, 0.00129, 0.0014].map(formatUsd)).toEqual(['$0.0012', '$0.0013', '$0.0014'])
  })

  it('should show sub-cent amounts with enough digits to tell them from zero', () => {
    expect([formatUsd(0.0000051), formatUsd(0.00000945), formatUsd(3e-12)]).toEqual([
      '$0.0000051',
      '$0.0000095',
      '$0.0000000000030',
    ])
  })

  it('does round half away from zero on the decimal value, not its binary neighbour', () => {
    expect([formatUsd(1.005), formatUsd(0.0125), formatUsd(0.125)]).toEqual([
      '$1.01',
      '$0.013',
      '$0.13',
    ])
  })

  it('does round up across a power of ten without an extra decimal', () => {
    expect([formatUsd(0.0099999), formatUsd(0.0996), formatUsd(0.99999)]).toEqual([
      '$0.010',
      '$0.10',
      '$1.00',
    ])
  })

  it('should put the sign before the dollar', () => {
    expect([formatUsd(-2.5), formatUsd(-0.0042)]).toEqual(['-$2.50', '-$0.0042'])
  })
})

describe('formatUsdExact', () => {
  it('should write every digit of the amount, at least two decimals, with separators', () => {
    expect([
      formatUsdExact(0.02847525),
      formatUsdExact(1234.5),
      formatUsdExact(3e-12),
      formatUsdExact(0),
      formatUsdExact(0.000000000001),
    ]).toEqual(['$0.02847525', '$1,234.50', '$0.000000000003', '$0.00', '$0.000000000001'])
  })

  it('should keep a decimal string exact, without its padding zeros', () => {
    expect([
      formatUsdExact('2.000000000000'),
      formatUsdExact('0.075000000000'),
      formatUsdExact('1234567.123456789012'),
      formatUsdExact('-0.5'),
    ]).toEqual(['$2.00', '$0.075', '$1,234,567.123456789012', '-$0.50'])
  })

  it('should write an unknown amount as unpriced', () => {
    expect([formatUsdExact(null), formatUsdExact(undefined), formatUsdExact(Number.NaN)]).toEqual([
      'unpriced',
      'unpriced',
      'unpriced',
    ])
  })
})

describe('formatUsdTick', () => {
  it('should write round tick values as typed, on the same rule', () => {
    expect([0, 0.02, 0.025, 0.5, 1000, 0.001, 0.0015].map(formatUsdTick)).toEqual([
      '$0.00',
      '$0.02',
      '$0.025',
      '$0.50',
      '$1,000.00',
      '$0.001',
      '$0.0015',
    ])
  })
})
