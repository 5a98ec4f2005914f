/**
 * The Beta distribution, computed directly: log-gamma by the Lanczos approximation (g = 7, nine
 * coefficients, about 15 significant digits), the regularized incomplete beta function by its
 * continued fraction evaluated with the modified Lentz method, and quantiles by safeguarded
 * Newton steps inside a shrinking bisection bracket. Used for the quality risk of routing
 * recommendations (Beta-Binomial posteriors on outcome rates).
 */

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
]

/** ln Γ(x) for x > 0. */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma needs x > 0, got ${x}`)
  if (x < 0.5) {
    // Reflection keeps the series in its accurate range: Γ(x)Γ(1−x) = π / sin(πx).
    return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x)
  }
  const z = x - 1
  let sum = LANCZOS[0]!
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i)
  const t = z + 7.5
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum)
}

/** ln B(a, b). */
export function logBeta(a: number, b: number): number {
  return logGamma(a) + logGamma(b) - logGamma(a + b)
}

/** The regularized incomplete beta function I_x(a, b), the CDF of Beta(a, b) at x. */
export function betaCdf(x: number, a: number, b: number): number {
  checkShape(a, b)
  if (x <= 0) return 0
  if (x >= 1) return 1
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b))
  // The continued fraction converges fast for x < (a + 1) / (a + b + 2); the symmetry
  // I_x(a, b) = 1 − I_{1−x}(b, a) covers the other side.
  if (x < (a + 1) / (a + b + 2)) return (front * continuedFraction(x, a, b)) / a
  return 1 - (front * continuedFraction(1 - x, b, a)) / b
}

/** Density of Beta(a, b) at x. */
export function betaPdf(x: number, a: number, b: number): number {
  checkShape(a, b)
  if (x <= 0 || x >= 1) return 0
  return Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logBeta(a, b))
}

/** The p-quantile of Beta(a, b): the x with I_x(a, b) = p, to about 1e-12. */
export function betaQuantile(p: number, a: number, b: number): number {
  checkShape(a, b)
  if (!(p >= 0 && p <= 1)) throw new RangeError(`betaQuantile needs p in [0, 1], got ${p}`)
  if (p === 0) return 0
  if (p === 1) return 1
  let low = 0
  let high = 1
  let x = a / (a + b)
  for (let i = 0; i < 200; i++) {
    const error = betaCdf(x, a, b) - p
    if (Math.abs(error) < 1e-14) return x
    if (error > 0) high = x
    else low = x
    const density = betaPdf(x, a, b)
    let next = density > 0 ? x - error / density : NaN
    // Newton only while it stays inside the bracket; otherwise bisect.
    if (!(next > low && next < high)) next = (low + high) / 2
    if (Math.abs(next - x) < 1e-15) return next
    x = next
  }
  return x
}

/**
 * The continued fraction of I_x(a, b) (the even and odd terms d_2m and d_2m+1 of its standard
 * expansion), by the modified Lentz method.
 */
function continuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300
  let c = 1
  let d = 1 - ((a + b) * x) / (a + 1)
  if (Math.abs(d) < tiny) d = tiny
  d = 1 / d
  let result = d
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m
    const even = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2))
    d = 1 + even * d
    if (Math.abs(d) < tiny) d = tiny
    c = 1 + even / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    result *= d * c
    const odd = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1))
    d = 1 + odd * d
    if (Math.abs(d) < tiny) d = tiny
    c = 1 + odd / c
    if (Math.abs(c) < tiny) c = tiny
    d = 1 / d
    const step = d * c
    result *= step
    if (Math.abs(step - 1) < 1e-15) return result
  }
  return result
}

function checkShape(a: number, b: number): void {
  if (!(a > 0) || !(b > 0)) {
    throw new RangeError(`Beta shape parameters must be > 0, got a=${a}, b=${b}`)
  }
}
