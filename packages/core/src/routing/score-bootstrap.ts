import { normalCdf, type RecommendationStatus } from './quality'

/**
 * Quality evidence from scores (task or step scores in [0, 1]) instead of outcomes: the change
 * of the mean score from the current model to the candidate, in points (−100..100), with a 90%
 * percentile-bootstrap interval whose low end is the one-sided 95% bound the recommendation
 * rule uses, as the Beta-Binomial does for outcome rates. Scores need not be 0 or 1, so no
 * conjugate posterior applies; resampling each arm's scores makes no assumption about their
 * shape. The generator is seeded, so the same scores always give the same interval.
 */
export interface ScoreEvidence {
  /** Scores the estimate rests on, per arm. */
  current: number
  suggested: number
  delta: number
  interval: [number, number]
  /** Share of resamples whose drop stays within the tolerance. */
  confidence: number
  /** `bootstrap`, or `normal` above `BOOTSTRAP_MAX_SCORES` (where the two agree). */
  method: 'bootstrap' | 'normal'
  status: RecommendationStatus
}

export interface BootstrapOptions {
  /** Tolerated drop of the mean score, in points. */
  tolerance: number
  resamples?: number
  seed?: number
}

/** Fewest scores per arm a score estimate is made from. */
export const MIN_SCORES = 30

/**
 * Above this many scores in both arms together the normal approximation of the difference of
 * means replaces resampling: the bootstrap's cost grows with the sample while its answer
 * converges to the normal one.
 */
export const BOOTSTRAP_MAX_SCORES = 20_000

/** A small, fast, seeded generator of uniform numbers in [0, 1) (mulberry32). */
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

/** Candidate minus current mean score, with its interval; null below `MIN_SCORES` per arm. */
export function scoreEvidence(
  current: readonly number[],
  suggested: readonly number[],
  options: BootstrapOptions,
): ScoreEvidence | null {
  if (current.length < MIN_SCORES || suggested.length < MIN_SCORES) return null
  const delta = (mean(suggested) - mean(current)) * 100
  const drops =
    current.length + suggested.length > BOOTSTRAP_MAX_SCORES
      ? null
      : resampledDeltas(current, suggested, options)
  let interval: [number, number]
  let confidence: number
  if (drops) {
    interval = [quantile(drops, 0.05), quantile(drops, 0.95)]
    confidence = drops.filter((d) => d >= -options.tolerance).length / drops.length
  } else {
    const se = Math.sqrt(
      variance(current) / current.length + variance(suggested) / suggested.length,
    )
    const half = 1.6448536269514722 * se * 100
    interval = [delta - half, delta + half]
    confidence =
      se > 0
        ? normalCdf((delta + options.tolerance) / (se * 100))
        : delta >= -options.tolerance
          ? 1
          : 0
  }
  return {
    current: current.length,
    suggested: suggested.length,
    delta,
    interval,
    confidence,
    method: drops ? 'bootstrap' : 'normal',
    status:
      interval[0] > -options.tolerance
        ? 'recommended'
        : delta < -options.tolerance
          ? 'not_recommended'
          : 'needs_evidence',
  }
}

/** Sorted deltas (points) of `resamples` bootstrap resamples of both arms. */
function resampledDeltas(
  current: readonly number[],
  suggested: readonly number[],
  options: BootstrapOptions,
): number[] {
  const random = seededRandom(options.seed ?? 0x5eed)
  const resampleMean = (values: readonly number[]) => {
    let sum = 0
    for (let i = 0; i < values.length; i++) sum += values[Math.floor(random() * values.length)]!
    return sum / values.length
  }
  const out: number[] = []
  for (let r = 0; r < (options.resamples ?? 1000); r++) {
    out.push((resampleMean(suggested) - resampleMean(current)) * 100)
  }
  return out.sort((x, y) => x - y)
}

/** The value at rank floor(level × (n − 1)) of sorted values. */
function quantile(sorted: readonly number[], level: number): number {
  return sorted[Math.floor(level * (sorted.length - 1))]!
}

function mean(values: readonly number[]): number {
  let sum = 0
  for (const value of values) sum += value
  return sum / values.length
}

/** Sample variance (n − 1). */
function variance(values: readonly number[]): number {
  const m = mean(values)
  let sum = 0
  for (const value of values) sum += (value - m) ** 2
  return values.length > 1 ? sum / (values.length - 1) : 0
}
