import { describe, expect, it } from 'vitest'
import { formatChange, formatPercent, signed } from './format-percent'

describe('formatPercent', () => {
  it('should write one decimal, keep tiny shares visible and null as a dash', () => {
    expect([0, 0.125, 1, 0.0004, null, Number.NaN].map(formatPercent)).toEqual([
      '0.0%',
      '12.5%',
      '100.0%',
      '<0.1%',
      '—',
      '—',
    ])
  })

  it('should sign changes', () => {
    expect([0.5, -0.03, 0, null].map(formatChange)).toEqual(['+50.0%', '-3.0%', '0.0%', '—'])
    expect([signed('$0.01', 0.01), signed('-$0.01', -0.01)]).toEqual(['+$0.01', '-$0.01'])
  })
})
