import { betaCdf, betaPdf, betaQuantile } from './beta'

/** Beta(a, b) shape parameters. */
export interface BetaShape {
  a: number
  b: number
}

/** Simpson intervals over the central mass of the first distribution (even). */
const INTERVALS = 600

/**
 * The law of Y − X for independent X ~ Beta(x), Y ~ Beta(y), by numerical integration:
 * P(Y − X ≤ d) = ∫ f_X(p) · I_{p+d}(y) dp, with composite Simpson's rule over the range holding
 * all but 1e-12 of X's mass (posteriors of large samples are narrow; a fixed grid over [0, 1]
 * would miss their peak). The grid and X's density on it are computed once per pair.
 */
export class BetaDifference {
  private readonly points: number[] = []
  private readonly weights: number[] = []
  /** Mean and standard deviation of Y − X, to bracket quantiles. */
  private readonly mean: number
  private readonly sd: number

  constructor(
    x: BetaShape,
    private readonly y: BetaShape,
  ) {
    const moments = (s: BetaShape) => {
      const n = s.a + s.b
      return { mean: s.a / n, variance: (s.a * s.b) / (n * n * (n + 1)) }
    }
    const mx = moments(x)
    const my = moments(y)
    this.mean = my.mean - mx.mean
    this.sd = Math.sqrt(mx.variance + my.variance)
    const low = betaQuantile(1e-12, x.a, x.b)
    const high = betaQuantile(1 - 1e-12, x.a, x.b)
    const width = (high - low) / INTERVALS
    for (let i = 0; i <= INTERVALS; i++) {
      const p = low + i * width
      const simpson = i === 0 || i === INTERVALS ? 1 : i % 2 === 1 ? 4 : 2
      this.points.push(p)
      this.weights.push((simpson * width * betaPdf(p, x.a, x.b)) / 3)
    }
  }

  cdf(d: number): number {
    if (d <= -1) return 0
    if (d >= 1) return 1
    let sum = 0
    for (let i = 0; i < this.points.length; i++) {
      const w = this.weights[i]!
      if (w > 0) sum += w * betaCdf(this.points[i]! + d, this.y.a, this.y.b)
    }
    return Math.min(1, Math.max(0, sum))
  }

  /** Density of Y − X at d, on the same grid. */
  pdf(d: number): number {
    let sum = 0
    for (let i = 0; i < this.points.length; i++) {
      const w = this.weights[i]!
      if (w > 0) sum += w * betaPdf(this.points[i]! + d, this.y.a, this.y.b)
    }
    return sum
  }

  /**
   * The q-quantile to 1e-7 (a hundred-thousandth of a point): Newton steps from the normal
   * approximation, each kept inside a bisection bracket that shrinks with every evaluation.
   */
  quantile(q: number): number {
    let low = -1
    let high = 1
    let d = Math.min(0.999, Math.max(-0.999, this.mean + normalQuantile(q) * this.sd))
    for (let i = 0; i < 100; i++) {
      const error = this.cdf(d) - q
      if (Math.abs(error) < 1e-12) return d
      if (error < 0) low = d
      else high = d
      const density = this.pdf(d)
      let next = density > 0 ? d - error / density : NaN
      if (!(next > low && next < high)) next = (low + high) / 2
      if (Math.abs(next - d) < 1e-7) return next
      d = next
    }
    return d
  }
}

/** Standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.928510446969, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ]
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ]
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ]
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
  const tail = (q: number) =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)))
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)))
  const q = p - 0.5
  const r = q * q
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  )
}

/** P(Y − X ≤ d); see BetaDifference. */
export function betaDifferenceCdf(d: number, x: BetaShape, y: BetaShape): number {
  return new BetaDifference(x, y).cdf(d)
}

/** The q-quantile of Y − X; see BetaDifference. */
export function betaDifferenceQuantile(q: number, x: BetaShape, y: BetaShape): number {
  return new BetaDifference(x, y).quantile(q)
}
