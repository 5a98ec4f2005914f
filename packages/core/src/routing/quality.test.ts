import { describe, expect, it } from 'vitest'
import { observedQuality, priorQuality, replayQuality } from './quality'
import { nonInferioritySampleSize } from './sample-size'

describe('quality risk of a switch', () => {
  it('should recommend when equal outcome rates rest on enough tasks', () => {
    const quality = observedQuality(
      { successes: 594, failures: 6 },
      { successes: 594, failures: 6 },
      2,
    )
    expect(quality.status).toBe('recommended')
    expect(quality.delta).toBeCloseTo(0, 12)
    expect(quality.interval[0]).toBeGreaterThan(-2)
    expect(quality.interval[0]).toBeCloseTo(-quality.interval[1], 4)
    expect(quality.confidence).toBeGreaterThan(0.95)
  })

  it('should refuse a clearly worse candidate and need evidence on a small sample', () => {
    const worse = observedQuality(
      { successes: 97, failures: 3 },
      { successes: 70, failures: 30 },
      2,
    )
    expect(worse.status).toBe('not_recommended')
    expect(worse.delta).toBeCloseTo((71 / 102 - 98 / 102) * 100, 10)
    expect(worse.neededSample).toBeNull()
    const small = observedQuality({ successes: 10, failures: 0 }, { successes: 10, failures: 0 }, 2)
    expect(small.status).toBe('needs_evidence')
    expect(small.neededSample).toBe(nonInferioritySampleSize(11 / 12, 11 / 12, 0.02))
  })

  it('should weight shadow results by inverse propensity', () => {
    // 100 shadow calls at propensity 0.5, all as good: weights 2, effective size 100.
    const quality = replayQuality(
      { weight: 200, weightSquared: 400, weightedScore: 200 },
      { successes: 50, failures: 0 },
      2,
    )
    expect(quality.delta).toBeCloseTo(-(1 / 102) * 100, 10)
    // Beta(101, 1): the 5% quantile of the as-good share is 0.05^(1/101).
    expect(quality.interval[0]).toBeCloseTo(-(1 - 0.05 ** (1 / 101)) * 100, 8)
    expect(quality.status).toBe('needs_evidence')
    expect(quality.confidence).toBeCloseTo(1 - 0.98 ** 101, 10)
  })

  it('should never recommend on a prior', () => {
    const quality = priorQuality(0, { successes: 1000, failures: 0 }, 2)
    expect(quality.status).toBe('needs_evidence')
    expect(quality.delta).toBe(-0)
  })

  it('should size the sample as the notes compute it', () => {
    // 90% vs 85% with no margin: (1.645 + 0.842)² (0.09 + 0.1275) / 0.05² ≈ 538.
    expect(nonInferioritySampleSize(0.9, 0.85, 0.1)).toBe(538)
    expect(nonInferioritySampleSize(0.9, 0.85, 0.05)).toBeNull()
  })
})
