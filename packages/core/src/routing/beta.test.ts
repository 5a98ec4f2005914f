import { describe, expect, it } from 'vitest'
import { betaCdf, betaQuantile, logGamma } from './beta'
import { betaDifferenceCdf, betaDifferenceQuantile } from './beta-difference'

/** I_x(2, 3) in closed form: Σ_{j=2..4} C(4, j) x^j (1 − x)^(4 − j). */
const cdf23 = (x: number) => 6 * x ** 2 * (1 - x) ** 2 + 4 * x ** 3 * (1 - x) + x ** 4

describe('Beta distribution', () => {
  it('should give ln Γ at known points', () => {
    expect(logGamma(1)).toBeCloseTo(0, 13)
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13)
    expect(logGamma(10)).toBeCloseTo(Math.log(362880), 12)
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 9)
  })

  it('should match the incomplete beta function in closed form', () => {
    for (const x of [0.01, 0.2, 0.5, 0.77, 0.999])
      expect(betaCdf(x, 2, 3)).toBeCloseTo(cdf23(x), 13)
    expect(betaCdf(0.3, 1, 1)).toBeCloseTo(0.3, 14)
    // Beta(1/2, 1/2) is the arcsine law: I_x = (2/π) asin(√x).
    expect(betaCdf(0.1, 0.5, 0.5)).toBeCloseTo((2 / Math.PI) * Math.asin(Math.sqrt(0.1)), 13)
  })

  it('should invert the CDF for quantiles', () => {
    // The arcsine law's quarter point is sin²(π/8).
    expect(betaQuantile(0.25, 0.5, 0.5)).toBeCloseTo(Math.sin(Math.PI / 8) ** 2, 11)
    // Beta(a, 1) has CDF x^a, so its p-quantile is p^(1/a).
    expect(betaQuantile(0.05, 40, 1)).toBeCloseTo(0.05 ** (1 / 40), 11)
    const median = betaQuantile(0.5, 2, 3)
    expect(cdf23(median)).toBeCloseTo(0.5, 12)
    expect(median).toBeCloseTo(0.3857275681, 9)
  })

  it('should stay accurate for posteriors of large samples', () => {
    // Beta(n, 1): the 5% quantile of a 1,000-of-1,000 success record is 0.05^(1/1001).
    expect(betaQuantile(0.05, 1001, 1)).toBeCloseTo(0.05 ** (1 / 1001), 11)
    const q = betaQuantile(0.05, 901, 101)
    expect(betaCdf(q, 901, 101)).toBeCloseTo(0.05, 12)
  })
})

describe('difference of two Beta variables', () => {
  it('should give the triangular law for two uniforms', () => {
    const uniform = { a: 1, b: 1 }
    // Y − X with X, Y uniform: P(Y − X ≤ d) = (1 + d)² / 2 for d ≤ 0.
    expect(betaDifferenceCdf(-0.5, uniform, uniform)).toBeCloseTo(0.125, 6)
    expect(betaDifferenceCdf(0, uniform, uniform)).toBeCloseTo(0.5, 6)
    expect(betaDifferenceQuantile(0.05, uniform, uniform)).toBeCloseTo(Math.sqrt(0.1) - 1, 5)
  })

  it('should be symmetric for equal posteriors and close to the normal law for large ones', () => {
    const arm = { a: 901, b: 101 }
    expect(betaDifferenceCdf(0, arm, arm)).toBeCloseTo(0.5, 6)
    const variance = (2 * (901 * 101)) / (1002 ** 2 * 1003)
    expect(betaDifferenceQuantile(0.05, arm, arm)).toBeCloseTo(-1.6448536 * Math.sqrt(variance), 3)
  })
})
