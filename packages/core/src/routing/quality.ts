import { betaCdf, betaQuantile } from './beta'
import { BetaDifference, type BetaShape } from './beta-difference'
import { nonInferioritySampleSize } from './sample-size'

/** What a recommendation may conclude from its evidence. */
export type RecommendationStatus = 'recommended' | 'needs_evidence' | 'not_recommended'

/**
 * Quality change of a switch, in points of success rate (−100..100, negative = worse), with the
 * rule's verdict. `confidence` is the posterior probability that the drop stays within the
 * tolerance.
 */
export interface QualityEstimate {
  delta: number
  interval: [number, number]
  confidence: number
  /** Posterior mean success rate on the candidate, 0..1 (null for a prior). */
  candidateRate: number | null
  neededSample: number | null
  status: RecommendationStatus
}

/** Successes and failures of one arm (tasks containing the step, with an outcome). */
export interface ArmOutcomes {
  successes: number
  failures: number
}

/** Posterior of a success rate from a uniform Beta(1, 1) prior. */
export function posterior(arm: ArmOutcomes): BetaShape {
  return { a: 1 + arm.successes, b: 1 + arm.failures }
}

/**
 * Observed evidence (the step ran on both models): posteriors on both outcome rates; the delta
 * is candidate − current. Recommended when the one-sided 95% lower bound of the delta is above
 * −tolerance; not recommended when its posterior mean is already below −tolerance (the data
 * lean against the switch); otherwise more evidence is needed. `tolerance` is in points.
 */
export function observedQuality(
  current: ArmOutcomes,
  candidate: ArmOutcomes,
  tolerance: number,
): QualityEstimate {
  const x = posterior(current)
  const y = posterior(candidate)
  const meanX = x.a / (x.a + x.b)
  const meanY = y.a / (y.a + y.b)
  const difference = new BetaDifference(x, y)
  const low = difference.quantile(0.05) * 100
  const high = difference.quantile(0.95) * 100
  const delta = (meanY - meanX) * 100
  const confidence = 1 - difference.cdf(-tolerance / 100)
  return {
    delta,
    interval: [low, high],
    confidence,
    candidateRate: meanY,
    neededSample: nonInferioritySampleSize(meanX, meanY, tolerance / 100),
    status: verdict(low, delta, tolerance),
  }
}

/** Shadow results of a step, weighted by inverse propensity. */
export interface ReplaySample {
  /** Σ w: the weights are 1 / propensity. */
  weight: number
  /** Σ w². */
  weightSquared: number
  /** Σ w · score, the score being 1 when the shadow result was as good as the primary's. */
  weightedScore: number
}

/**
 * Replay evidence (shadow calls on the candidate beside the real ones): the share of calls on
 * which the candidate was as good, estimated with inverse-propensity weights (so a sampler that
 * shadowed some inputs more often than others does not bias it), as a Beta posterior whose size
 * is the weights' effective sample size (Kish). The delta assumes, conservatively, that every
 * call on which the candidate was worse fails its task: delta = −(1 − as-good share) · 100.
 */
export function replayQuality(
  sample: ReplaySample,
  baseline: ArmOutcomes,
  tolerance: number,
): QualityEstimate {
  const effective = sample.weightSquared > 0 ? sample.weight ** 2 / sample.weightSquared : 0
  const share = sample.weight > 0 ? sample.weightedScore / sample.weight : 0
  const shape = { a: 1 + effective * share, b: 1 + effective * (1 - share) }
  const mean = shape.a / (shape.a + shape.b)
  const low = -(1 - betaQuantile(0.05, shape.a, shape.b)) * 100
  const high = -(1 - betaQuantile(0.95, shape.a, shape.b)) * 100
  const delta = -(1 - mean) * 100
  const confidence = 1 - betaCdf(1 - tolerance / 100, shape.a, shape.b)
  const current = posterior(baseline)
  const currentRate = current.a / (current.a + current.b)
  return {
    delta,
    interval: [low, high],
    confidence,
    candidateRate: currentRate * mean,
    neededSample: nonInferioritySampleSize(1, mean, tolerance / 100),
    status: verdict(low, delta, tolerance),
  }
}

/**
 * A prior only (no traffic on the candidate): a guess from the capability tiers, 3 points per
 * tier down with a 95% range of ±(5 + 5 per tier) points. Its status is always
 * `needs_evidence`, whatever it says: a prior picks which shadow runs to start, it never
 * recommends a switch on its own.
 */
export function priorQuality(
  tierDrop: number,
  baseline: ArmOutcomes,
  tolerance: number,
): QualityEstimate {
  const drop = Math.max(0, tierDrop)
  const delta = -3 * drop
  const halfWidth = 5 + 5 * drop
  const sd = halfWidth / 1.959963984540054
  const current = posterior(baseline)
  const currentRate = current.a / (current.a + current.b)
  const candidateRate = Math.max(0, currentRate + delta / 100)
  return {
    delta,
    interval: [delta - halfWidth, Math.min(100, delta + halfWidth)],
    confidence: normalCdf((delta + tolerance) / sd),
    candidateRate: null,
    neededSample: nonInferioritySampleSize(currentRate, candidateRate, tolerance / 100),
    status: 'needs_evidence',
  }
}

function verdict(low: number, delta: number, tolerance: number): RecommendationStatus {
  if (low > -tolerance) return 'recommended'
  if (delta < -tolerance) return 'not_recommended'
  return 'needs_evidence'
}

/** Standard normal CDF (Abramowitz and Stegun 7.1.26 for erf, error below 1.5e-7). */
export function normalCdf(z: number): number {
  const t = 1 / (1 + (0.3275911 * Math.abs(z)) / Math.SQRT2)
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
  const erf = 1 - poly * Math.exp(-(z * z) / 2)
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2
}
