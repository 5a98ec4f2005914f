import { describe, expect, it } from 'vitest'
import { formatUsd } from './format-money'

describe('formatUsd', () => {
  it('should write null and undefined as unpriced', () => {
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

  it('should keep three significant digits below $1 and at least two decimals', () => {
    expect([formatUsd(0.5), formatUsd(0.123456), formatUsd(0.0123), formatUsd(0.01)]).toEqual([
      '$0.50',
      '$0.123',
      '$0.0123',
      '$0.01',
    ])
  })

  it('should show sub-cent amounts with enough digits to tell them from zero', () => {
    expect([formatUsd(0.0000051), formatUsd(0.00000512345), formatUsd(3e-12)]).toEqual([
      '$0.0000051',
      '$0.00000512',
      '$0.000000000003',
    ])
  })

  it('does round up across a power of ten without extra zeros', () => {
    expect([formatUsd(0.0099999), formatUsd(0.99999)]).toEqual(['$0.01', '$1.00'])
  })

  it('should put the sign before the dollar', () => {
    expect([formatUsd(-2.5), formatUsd(-0.0042)]).toEqual(['-$2.50', '-$0.0042'])
  })
})
