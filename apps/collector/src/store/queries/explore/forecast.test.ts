import { describe, expect, it } from 'vitest'
import { forecastMonth } from './forecast'

const NOW = new Date('2026-12-04T12:00:00Z')
// 27.5 days from noon on the 4th to the 1st of January.
const REMAINING = 27.5

describe('forecastMonth', () => {
  it('should add the mean of the last complete days times the days remaining', () => {
    const daily = new Map([
      ['2026-12-01', 2],
      ['2026-12-02', 4],
      ['2026-12-03', 6],
    ])
    const forecast = forecastMonth({
      now: NOW,
      monthToDateUsd: 13,
      dailyUsd: daily,
      firstDay: '2026-12-01',
      windowDays: 7,
    })
    // Mean 4 $/day over the 3 days since the first span; sample sd 2.
    const spread = 1.96 * 2 * Math.sqrt(REMAINING)
    expect(forecast).toEqual({
      method:
        'Month to date + the mean daily spend of the last 3 complete UTC days × 27.5 days remaining; 95% interval ± 1.96 × daily standard deviation × √(days remaining).',
      costUsd: 13 + 4 * REMAINING,
      lowUsd: 13 + 4 * REMAINING - spread,
      highUsd: 13 + 4 * REMAINING + spread,
      runRateUsdPerDay: 4,
      daysMeasured: 3,
      daysRemaining: REMAINING,
      month: '2026-12',
    })
  })

  it('does count a day without spans as zero spend, not as missing', () => {
    const forecast = forecastMonth({
      now: NOW,
      monthToDateUsd: 1,
      dailyUsd: new Map([['2026-11-30', 7]]),
      firstDay: '2026-11-01',
      windowDays: 7,
    })
    expect(forecast.daysMeasured).toBe(7)
    expect(forecast.runRateUsdPerDay).toBe(1)
    expect(forecast.costUsd).toBe(1 + REMAINING)
  })

  it('should not let the low end fall below the month to date', () => {
    // Half a day left: the spread (1.96 × 70.7 × √0.5 ≈ 98) passes the 25 still to come.
    const forecast = forecastMonth({
      now: new Date('2026-12-31T12:00:00Z'),
      monthToDateUsd: 50,
      dailyUsd: new Map([
        ['2026-12-29', 0],
        ['2026-12-30', 100],
      ]),
      firstDay: '2026-12-29',
      windowDays: 7,
    })
    expect([forecast.costUsd, forecast.lowUsd]).toEqual([75, 50])
    expect(forecast.highUsd).toBeGreaterThan(forecast.costUsd!)
  })

  it('should give no interval with one day and no forecast with none', () => {
    const one = forecastMonth({
      now: NOW,
      monthToDateUsd: 3,
      dailyUsd: new Map([['2026-12-03', 3]]),
      firstDay: '2026-12-03',
      windowDays: 7,
    })
    expect([one.costUsd, one.lowUsd, one.highUsd]).toEqual([3 + 3 * REMAINING, null, null])
    const none = forecastMonth({
      now: NOW,
      monthToDateUsd: 3,
      dailyUsd: new Map(),
      firstDay: '2026-12-04',
      windowDays: 7,
    })
    expect([none.costUsd, none.runRateUsdPerDay, none.daysMeasured]).toEqual([null, null, 0])
    expect(none.method).toContain('needs at least one complete UTC day')
  })
})
