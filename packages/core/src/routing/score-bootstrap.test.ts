import { describe, expect, it } from 'vitest'
import { BOOTSTRAP_MAX_SCORES, MIN_SCORES, scoreEvidence, seededRandom } from './score-bootstrap'

const repeat = (values: number[], times: number) =>
  Array.from({ length: times }, () => values).flat()

describe('score bootstrap', () => {
  it('should draw the same numbers from the same seed, in [0, 1)', () => {
    const a = seededRandom(42)
    const b = seededRandom(42)
    const first = Array.from({ length: 1000 }, () => a())
    expect(Array.from({ length: 1000 }, () => b())).toEqual(first)
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true)
    // mulberry32's first output for seed 42 (state 0x6d2b79f5 + 42).
    expect(first[0]).toBe(0.6011037519201636)
    expect(seededRandom(43)()).not.toBe(first[0])
  })

  it('should give a point interval when every score of each arm is the same', () => {
    // Binary fractions, so every sum and mean is exact.
    const evidence = scoreEvidence(repeat([0.875], 40), repeat([0.75], 32), { tolerance: 5 })
    expect(evidence).toMatchObject({ current: 40, suggested: 32, method: 'bootstrap' })
    expect(evidence!.delta).toBe(-12.5)
    expect(evidence!.interval).toEqual([-12.5, -12.5])
    // A 12.5-point drop is beyond a 5-point tolerance in every resample.
    expect(evidence!.confidence).toBe(0)
    expect(evidence!.status).toBe('not_recommended')
  })

  it('should bound the resampled means by the data, with the seed fixing the result', () => {
    // Current scores half 0, half 1; the candidate's all 1: a resample's delta is 100 minus the
    // resampled current mean, within [0, 100]; its mean delta is 50.
    const current = repeat([0, 1], 15)
    const suggested = repeat([1], 30)
    const one = scoreEvidence(current, suggested, { tolerance: 2, seed: 7 })!
    const again = scoreEvidence(current, suggested, { tolerance: 2, seed: 7 })!
    expect(again).toEqual(one)
    expect(one.delta).toBe(50)
    expect(one.interval[0]).toBeGreaterThanOrEqual(0)
    expect(one.interval[1]).toBeLessThanOrEqual(100)
    // Every resample of 30 current scores has a mean of k/30: the bounds are 100 − 100·k/30.
    for (const bound of one.interval) {
      const k = Math.round((100 - bound) * 0.3)
      expect(bound).toBeCloseTo(100 - (100 * k) / 30, 9)
    }
    // The candidate is never worse, so every resample is within any tolerance.
    expect(one.confidence).toBe(1)
    expect(one.status).toBe('recommended')
  })

  it('should need MIN_SCORES per arm', () => {
    expect(scoreEvidence(repeat([1], MIN_SCORES - 1), repeat([1], 100), { tolerance: 2 })).toBe(
      null,
    )
    expect(
      scoreEvidence(repeat([1], MIN_SCORES), repeat([1], MIN_SCORES), { tolerance: 2 }),
    ).not.toBe(null)
  })

  it('should use the normal approximation above BOOTSTRAP_MAX_SCORES', () => {
    // Current: 15,000 scores of 1; candidate: 10,000 alternating 0 and 1 (sample variance
    // 0.25 · 10000 / 9999). The interval is delta ± z(0.95) · standard error, in points.
    const current = repeat([1], 15_000)
    const suggested = repeat([0, 1], 5_000)
    expect(current.length + suggested.length).toBeGreaterThan(BOOTSTRAP_MAX_SCORES)
    const evidence = scoreEvidence(current, suggested, { tolerance: 2 })!
    const se = Math.sqrt((0.25 * 10_000) / 9_999 / 10_000)
    const half = 1.6448536269514722 * se * 100
    expect(evidence.method).toBe('normal')
    expect(evidence.delta).toBe(-50)
    expect(evidence.interval[0]).toBeCloseTo(-50 - half, 9)
    expect(evidence.interval[1]).toBeCloseTo(-50 + half, 9)
    expect(evidence.status).toBe('not_recommended')
  })
})
