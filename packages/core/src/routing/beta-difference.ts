import { betaCdf, betaPdf, betaQuantile } from './beta'

/** Beta(a, b) shape parameters. */
export interface BetaShape {
  a: number
  b: number
}

/** Simpson intervals over the central mass of the first distribution (even). */
const INTERVALS = 600

/**
 * P(Y − X ≤ d) for independent X ~ Beta(x), Y ~ Beta(y): ∫ f_X(p) · I_{p+d}(y) dp, by composite
 * Simpson's rule over the range holding all but 1e-12 of X's mass (posteriors of large samples
 * are narrow, so integrating over [0, 1] on a fixed grid would miss their peak).
 */
export function betaDifferenceCdf(d: number, x: BetaShape, y: BetaShape): number {
  if (d <= -1) return 0
  if (d >= 1) return 1
  const low = betaQuantile(1e-12, x.a, x.b)
  const high = betaQuantile(1 - 1e-12, x.a, x.b)
  const width = (high - low) / INTERVALS
  let sum = 0
  for (let i = 0; i <= INTERVALS; i++) {
    const p = low + i * width
    const weight = i === 0 || i === INTERVALS ? 1 : i % 2 === 1 ? 4 : 2
    sum += weight * betaPdf(p, x.a, x.b) * betaCdf(p + d, y.a, y.b)
  }
  return Math.min(1, Math.max(0, (sum * width) / 3))
}

/** The q-quantile of Y − X, by bisection on its CDF (to 1e-7, far below a tenth of a point). */
export function betaDifferenceQuantile(q: number, x: BetaShape, y: BetaShape): number {
  let low = -1
  let high = 1
  while (high - low > 1e-7) {
    const mid = (low + high) / 2
    if (betaDifferenceCdf(mid, x, y) < q) low = mid
    else high = mid
  }
  return (low + high) / 2
}
