import type { BudgetPeriod } from './rule'

export interface PeriodBounds {
  /** The period's key, the subject of a budget breach: `2026-12-04` or `2026-12`. */
  key: string
  start: Date
  end: Date
}

/** The UTC day or month that contains `now`. */
export function periodBounds(period: BudgetPeriod, now: Date): PeriodBounds {
  const year = now.getUTCFullYear()
  const month = now.getUTCMonth()
  if (period === 'month') {
    const start = new Date(Date.UTC(year, month, 1))
    return {
      key: start.toISOString().slice(0, 7),
      start,
      end: new Date(Date.UTC(year, month + 1, 1)),
    }
  }
  const start = new Date(Date.UTC(year, month, now.getUTCDate()))
  return {
    key: start.toISOString().slice(0, 10),
    start,
    end: new Date(start.getTime() + 86_400_000),
  }
}

/**
 * The spend a period ends with if it goes on at the rate so far (linear), in pico-dollars; null
 * before `minElapsedMillis` of the period have passed, when a rate is mostly noise.
 */
export function forecastSpend(
  spendPico: bigint,
  bounds: PeriodBounds,
  now: Date,
  minElapsedMillis: number,
): bigint | null {
  const elapsed = BigInt(Math.max(0, now.getTime() - bounds.start.getTime()))
  const total = BigInt(bounds.end.getTime() - bounds.start.getTime())
  if (elapsed === 0n || elapsed < BigInt(minElapsedMillis)) return null
  return (spendPico * total) / elapsed
}
