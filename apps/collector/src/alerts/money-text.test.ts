import { describe, expect, it } from 'vitest'
import { formatUsd, formatUsdAmounts } from './money-text'

describe('alert money text', () => {
  it('should format money for people without losing small amounts', () => {
    expect([formatUsd('12.500000000000'), formatUsd('0.000051'), formatUsd(null)]).toEqual([
      '$12.50',
      '$0.000051',
      'unknown',
    ])
  })

  it('should cut every amount at the first digit where two of them differ, and no later', () => {
    expect(formatUsdAmounts(['0.0012', '0.001'])).toEqual(['$0.0012', '$0.001'])
    expect(formatUsdAmounts(['0.0010004', '0.001'])).toEqual(['$0.0010004', '$0.001'])
    expect(formatUsdAmounts(['0.00100049', '0.001', null])).toEqual([
      '$0.0010004',
      '$0.001',
      'unknown',
    ])
    // Below stays below, and needs no more digits to show it.
    expect(formatUsdAmounts(['0.000999999999', '0.001'])).toEqual(['$0.000999', '$0.001'])
    expect(formatUsdAmounts(['1234.5678919', '1234.5678911'])).toEqual([
      '$1234.5678919',
      '$1234.5678911',
    ])
    // Equal amounts read equal, at display precision.
    expect(formatUsdAmounts(['0.25', '0.250000000000'])).toEqual(['$0.25', '$0.25'])
  })

  it('should read the exact decimal, never a double', () => {
    // 0.1 + 0.2 as a double is 0.30000000000000004; the store keeps 12 digits.
    expect(formatUsdAmounts(['0.300000000000', '0.3'])).toEqual(['$0.30', '$0.30'])
    expect(formatUsdAmounts(['0.000000000001', '0'])).toEqual(['$0.000000000001', '$0.00'])
  })
})
