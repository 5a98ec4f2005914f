import { describe, expect, it } from 'vitest'
import { forecastSpend, periodBounds } from './forecast'

describe('periodBounds', () => {
  it('should give the UTC day and month around an instant', () => {
    const now = new Date('2026-12-31T23:30:00Z')
    expect(periodBounds('day', now)).toEqual({
      key: '2026-12-31',
      start: new Date('2026-12-31T00:00:00Z'),
      end: new Date('2027-01-01T00:00:00Z'),
    })
    expect(periodBounds('month', now)).toEqual({
      key: '2026-12',
      start: new Date('2026-12-01T00:00:00Z'),
      end: new Date('2027-01-01T00:00:00Z'),
    })
  })
})

describe('forecastSpend', () => {
  it('should project the spend so far linearly to the end of the period', () => {
    const now = new Date('2026-12-04T06:00:00Z')
    const day = periodBounds('day', now)
    // $2.50 in a quarter of the day: $10 by midnight.
    expect(forecastSpend(2_500_000_000_000n, day, now, 0)).toBe(10_000_000_000_000n)
  })

  it('does not forecast before the minimum elapsed time', () => {
    const now = new Date('2026-12-04T00:30:00Z')
    expect(forecastSpend(1_000_000_000_000n, periodBounds('day', now), now, 3_600_000)).toBeNull()
  })
})
