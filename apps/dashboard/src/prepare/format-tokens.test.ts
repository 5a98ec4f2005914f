import { describe, expect, it } from 'vitest'
import { formatCount, formatTokens } from './format-tokens'

describe('formatTokens', () => {
  it('should write unknown usage as unknown and zero as 0', () => {
    expect([formatTokens(null), formatTokens(undefined), formatTokens(0)]).toEqual([
      'unknown',
      'unknown',
      '0',
    ])
  })

  it('should group thousands', () => {
    expect([formatTokens(999), formatTokens(12345), formatTokens(1234567)]).toEqual([
      '999',
      '12,345',
      '1,234,567',
    ])
  })
})

describe('formatCount', () => {
  it('should group thousands', () => {
    expect([formatCount(0), formatCount(1000)]).toEqual(['0', '1,000'])
  })
})
