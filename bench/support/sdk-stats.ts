/**
 * Uncertainty for the SDK benchmark's differences: a percentile bootstrap of the median (or any
 * statistic) over independent samples, seeded so that the same samples give the same interval.
 */

import { percentile } from './stats'

/** A statistic with its 95 % bootstrap interval. */
export interface Interval {
  value: number
  low: number
  high: number
  samples: number
}

/** mulberry32: a small seeded generator, so intervals are reproducible from the samples. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * `statistic` of `samples` with the 2.5th and 97.5th percentiles of the statistic over
 * `resamples` resamples drawn with replacement. Each sample must be one independent unit (one
 * interleaved round, one pair of calls): resampling them keeps what they share together.
 */
export function bootstrap<T>(
  samples: readonly T[],
  statistic: (resample: readonly T[]) => number,
  resamples = 2000,
  seed = 1,
): Interval {
  if (samples.length === 0)
    return { value: Number.NaN, low: Number.NaN, high: Number.NaN, samples: 0 }
  const random = seededRandom(seed)
  const values: number[] = []
  const resample: T[] = new Array<T>(samples.length)
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < samples.length; i++) {
      resample[i] = samples[Math.floor(random() * samples.length)]!
    }
    values.push(statistic(resample))
  }
  return {
    value: statistic(samples),
    low: percentile(values, 2.5),
    high: percentile(values, 97.5),
    samples: samples.length,
  }
}

/** The median (nearest rank, as `median` in stats.ts) of numbers: a typed-array sort, fast. */
function fastMedian(values: readonly number[]): number {
  const sorted = Float64Array.from(values).sort()
  return sorted[Math.max(0, Math.ceil(0.5 * sorted.length) - 1)]!
}

/** The median of numbers with its 95 % bootstrap interval (1,000 resamples). */
export function medianInterval(values: readonly number[], seed = 1): Interval {
  return bootstrap(values, fastMedian, 1000, seed)
}

/** `12.3 [10.1, 14.0]`: a value and its interval, for tables. */
export function formatInterval(interval: Interval, digits = 1): string {
  const f = (value: number) => value.toFixed(digits)
  return `${f(interval.value)} [${f(interval.low)}, ${f(interval.high)}]`
}
