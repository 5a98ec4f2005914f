import { describe, expect, it } from 'vitest'
import { priceCall } from '../pricing/price'
import { ZERO_USAGE } from '../usage/usage'
import { monthlySavings, projectMix, tokenRates, type BandMix } from './projection'

const at = new Date('2026-12-01T00:00:00Z')
const noMoments = { cc: 0, ii: 0, oo: 0, ci: 0, co: 0, io: 0 }

describe('projection of a token mix', () => {
  it('should read exact rates back from the pricer, tier included', () => {
    // gpt-4o-mini: $0.15 / $0.60 per million tokens.
    expect(tokenRates('openai', 'gpt-4o-mini', 0, at)).toEqual({
      inputPico: 150_000n,
      outputPico: 600_000n,
      perCallPico: 0n,
    })
    // claude-sonnet-4-5 above 200k input: $6 / $22.50.
    expect(tokenRates('anthropic', 'claude-sonnet-4-5', 200_000, at)).toEqual({
      inputPico: 6_000_000n,
      outputPico: 22_500_000n,
      perCallPico: 0n,
    })
    expect(tokenRates('openai', 'no-such-model-x', 0, at)).toBeNull()
  })

  it('should reprice input at the plain rate and output times the ratio, exactly', () => {
    const bands: BandMix[] = [
      {
        band: 0,
        calls: 3,
        inputTokens: 3000,
        outputTokens: 301,
        costUsd: '0.010510000000',
        moments: noMoments,
      },
    ]
    const rates = tokenRates('openai', 'gpt-4o-mini', 0, at)
    const projection = projectMix(bands, () => rates, 1.5)!
    // 3000 × 0.15e-6 + round(451.5) = 452 × 0.6e-6.
    expect(projection.projectedUsd).toBe('0.000721200000')
    expect(projection.savingsUsd).toBe('0.009788800000')
    const single = priceCall({
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage: { ...ZERO_USAGE, inputTokens: 3000, outputTokens: 452 },
      timestamp: at,
    })
    expect(single.costUsd).toBe(projection.projectedUsd)
  })

  it('should scale savings to 30 days with an interval from the per-call spread', () => {
    // Two calls: cost 0.002 and 0.004, 1000 input / 100 output each, on gpt-4o-mini.
    const bands: BandMix[] = [
      {
        band: 0,
        calls: 2,
        inputTokens: 2000,
        outputTokens: 200,
        costUsd: '0.006',
        moments: { cc: 0.002 ** 2 + 0.004 ** 2, ii: 2e6, oo: 2e4, ci: 6, co: 0.6, io: 2e5 },
      },
    ]
    const projection = projectMix(bands, () => tokenRates('openai', 'gpt-4o-mini', 0, at), 1)!
    const perCall = 1000 * 0.15e-6 + 100 * 0.6e-6
    expect(projection.meanSaving).toBeCloseTo(0.003 - perCall, 15)
    expect(projection.varianceSaving).toBeCloseTo(0.001 ** 2, 15)
    const week = 7 * 86_400_000
    const monthly = monthlySavings(projection, week)
    const scale = 30 / 7
    expect(monthly.monthlyUsd).toBeCloseTo(Number(projection.savingsUsd) * scale, 12)
    const half = 1.959963984540054 * Math.sqrt(1e-6 * 2 * scale * (1 + scale))
    expect(monthly.interval[0]).toBeCloseTo(monthly.monthlyUsd - half, 12)
    expect(monthly.interval[1]).toBeCloseTo(monthly.monthlyUsd + half, 12)
  })
})
