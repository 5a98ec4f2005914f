/** A month-end spend forecast and how it was made. */
export interface MonthForecast {
  /** The method in one sentence, for the dashboard to show beside the number. */
  method: string
  /** Month-to-date spend plus the run rate times the days left; null without a run rate. */
  costUsd: number | null
  /** About a 95% interval; null with fewer than two complete days to measure the spread on. */
  lowUsd: number | null
  highUsd: number | null
  /** Mean spend per complete UTC day in the window. */
  runRateUsdPerDay: number | null
  /** Complete UTC days the run rate is measured on (at most `windowDays`). */
  daysMeasured: number
  /** Days from now to the end of the UTC month, fractional. */
  daysRemaining: number
  /** `YYYY-MM` of the month forecast. */
  month: string
}

export interface ForecastInput {
  now: Date
  monthToDateUsd: number
  /** Spend per UTC day (`YYYY-MM-DD`) on the days before today; days absent spent nothing. */
  dailyUsd: ReadonlyMap<string, number>
  /**
   * The first day the project has any span. Days before it would dilute the rate, and that day
   * itself is partial (the project began during it), so neither is a complete day.
   */
  firstDay: string | null
  windowDays: number
}

const DAY_MILLIS = 86_400_000
// Two-sided 95% quantile of the normal distribution.
const Z_95 = 1.96

/**
 * Forecast for the UTC month: month to date + mean daily spend of the last `windowDays` complete
 * days × days remaining. The interval treats days as independent: ± 1.96 × the sample standard
 * deviation of a day × √(days remaining), and never goes below what is already spent.
 */
export function forecastMonth(input: ForecastInput): MonthForecast {
  const { now, monthToDateUsd, windowDays } = input
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  const monthEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)
  const daysRemaining = (monthEnd - now.getTime()) / DAY_MILLIS
  const month = new Date(today).toISOString().slice(0, 7)

  const first = input.firstDay === null ? today : Date.parse(`${input.firstDay}T00:00:00Z`)
  const days: number[] = []
  for (let day = today - DAY_MILLIS; day >= today - windowDays * DAY_MILLIS; day -= DAY_MILLIS) {
    if (day <= first) break
    days.push(input.dailyUsd.get(new Date(day).toISOString().slice(0, 10)) ?? 0)
  }

  const base = { daysMeasured: days.length, daysRemaining, month }
  if (days.length === 0) {
    return {
      ...base,
      method: `No forecast yet: the run rate needs at least one complete UTC day of spans.`,
      costUsd: null,
      lowUsd: null,
      highUsd: null,
      runRateUsdPerDay: null,
    }
  }
  const mean = days.reduce((sum, value) => sum + value, 0) / days.length
  const costUsd = monthToDateUsd + mean * daysRemaining
  const method = `Month to date + the mean daily spend of the last ${days.length} complete UTC day${days.length === 1 ? '' : 's'} × ${daysRemaining.toFixed(1)} days remaining`
  if (days.length < 2) {
    return {
      ...base,
      method: `${method}; no interval with one day measured.`,
      costUsd,
      lowUsd: null,
      highUsd: null,
      runRateUsdPerDay: mean,
    }
  }
  const variance = days.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (days.length - 1)
  const spread = Z_95 * Math.sqrt(variance) * Math.sqrt(daysRemaining)
  return {
    ...base,
    method: `${method}; 95% interval ± 1.96 × daily standard deviation × √(days remaining).`,
    costUsd,
    lowUsd: Math.max(monthToDateUsd, costUsd - spread),
    highUsd: costUsd + spread,
    runRateUsdPerDay: mean,
  }
}
