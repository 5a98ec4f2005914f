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
      firstDay: '2026-11-30',
      windowDays: 7,
    })
    // Mean 4 $/day over the 3 complete days after the first span's; sample sd 2.
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
      firstDay: '2026-12-28',
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
      firstDay: '2026-12-02',
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

  it('should measure the run rate on the last month on the first day of a month', () => {
    // 00:30 UTC on 1 December: the month to date is half an hour old, and the 7 complete days
    // measured are 24–30 November.
    const november = new Map(
      ['24', '25', '26', '27', '28', '29', '30'].map((day) => [`2026-11-${day}`, 2] as const),
    )
    const forecast = forecastMonth({
      now: new Date('2026-12-01T00:30:00Z'),
      monthToDateUsd: 0.25,
      dailyUsd: new Map([...november, ['2026-11-23', 1000]]),
      firstDay: '2026-10-01',
      windowDays: 7,
    })
    const remaining = 31 - 0.5 / 24
    expect(forecast).toEqual({
      method:
        'Month to date + the mean daily spend of the last 7 complete UTC days × 31.0 days remaining; 95% interval ± 1.96 × daily standard deviation × √(days remaining).',
      costUsd: 0.25 + 2 * remaining,
      // Seven equal days: no spread, so the interval is the estimate itself.
      lowUsd: 0.25 + 2 * remaining,
      highUsd: 0.25 + 2 * remaining,
      runRateUsdPerDay: 2,
      daysMeasured: 7,
      daysRemaining: remaining,
      month: '2026-12',
    })
  })

  it('should not count the day of the first span, which the project only partly covered', () => {
    // First span at 22:00 on the 3rd: two hours of spend are not a day's run rate.
    const partial = forecastMonth({
      now: NOW,
      monthToDateUsd: 0.5,
      dailyUsd: new Map([['2026-12-03', 0.5]]),
      firstDay: '2026-12-03',
      windowDays: 7,
    })
    expect([partial.costUsd, partial.daysMeasured]).toEqual([null, 0])
    expect(partial.method).toContain('needs at least one complete UTC day')
  })

  it('should make no forecast for a project without any span', () => {
    const forecast = forecastMonth({
      now: NOW,
      monthToDateUsd: 0,
      dailyUsd: new Map(),
      firstDay: null,
      windowDays: 7,
    })
    expect(forecast).toEqual({
      method: 'No forecast yet: the run rate needs at least one complete UTC day of spans.',
      costUsd: null,
      lowUsd: null,
      highUsd: null,
      runRateUsdPerDay: null,
      daysMeasured: 0,
      daysRemaining: REMAINING,
      month: '2026-12',
    })
  })

  it('should forecast the month to date when the last complete days spent nothing', () => {
    // Spans once, long ago: seven measured days of zero spend, not "no data".
    const forecast = forecastMonth({
      now: NOW,
      monthToDateUsd: 4,
      dailyUsd: new Map([['2026-11-02', 9]]),
      firstDay: '2026-11-02',
      windowDays: 7,
    })
    expect([forecast.costUsd, forecast.lowUsd, forecast.highUsd]).toEqual([4, 4, 4])
    expect([forecast.runRateUsdPerDay, forecast.daysMeasured]).toEqual([0, 7])
  })

  it('should carry a one-day spike into the rate at a seventh of its size, with a wide interval', () => {
    // Six days at $1 and a $71 day yesterday: mean $11, sample variance (6 × 10² + 60²) / 6 =
    // 700. A spike is spend (a batch job may come back), so the mean keeps it, and the
    // interval says how uncertain that makes the month.
    const days = [
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
    ]
    const forecast = forecastMonth({
      now: NOW,
      monthToDateUsd: 74,
      dailyUsd: new Map([...days.map((day) => [day, 1] as const), ['2026-12-03', 71]]),
      firstDay: '2026-11-01',
      windowDays: 7,
    })
    const spread = 1.96 * Math.sqrt(700) * Math.sqrt(REMAINING)
    expect(forecast.runRateUsdPerDay).toBe(11)
    expect(forecast.costUsd).toBe(74 + 11 * REMAINING)
    expect(forecast.lowUsd).toBe(74 + 11 * REMAINING - spread)
    expect(forecast.highUsd).toBe(74 + 11 * REMAINING + spread)
  })

  it('should leave out the spend of today from the rate', () => {
    // Today is in the month to date but not complete: a busy morning does not become a rate.
    const forecast = forecastMonth({
      now: NOW,
      monthToDateUsd: 500,
      dailyUsd: new Map([
        ['2026-12-03', 3],
        ['2026-12-04', 497],
      ]),
      firstDay: '2026-12-02',
      windowDays: 7,
    })
    expect([forecast.runRateUsdPerDay, forecast.costUsd]).toEqual([3, 500 + 3 * REMAINING])
  })
})
