import { describe, expect, it } from 'vitest'
import { findCapability, unmetNeed } from './capabilities'
import { recommendStep, sortRecommendations } from './recommend-step'
import type { ModelArm, StepCluster } from './step-cluster'

const at = new Date('2026-12-01T00:00:00Z')
const day = 86_400_000

function arm(model: string, successes: number, failures: number): ModelArm {
  const calls = successes + failures
  return {
    model,
    provider: 'openai',
    calls,
    unpricedCalls: 0,
    // gpt-4o at $2.50 / $10: 1,000 input and 100 output tokens cost $0.0035 a call.
    bands: [
      {
        band: 0,
        calls,
        inputTokens: 1000 * calls,
        outputTokens: 100 * calls,
        costUsd: (0.0035 * calls).toFixed(12),
        moments: { cc: 0, ii: 0, oo: 0, ci: 0, co: 0, io: 0 },
      },
    ],
    meanInputTokens: 1000,
    meanOutputTokens: 100,
    outcomes: { successes, failures },
    errorRate: 0,
    retryRate: 0,
    finishReasons: {},
  }
}

const needs = { tools: false, structuredOutput: false, vision: true, p99InputTokens: 150_000 }

describe('recommendStep', () => {
  it('should offer only capable cheaper models as priors, never recommended', () => {
    const cluster: StepCluster = {
      taskName: 'triage',
      step: 'classify',
      needs,
      arms: [arm('gpt-4o', 500, 0)],
      replays: [],
    }
    const rows = recommendStep(cluster, { tolerance: 2, windowMillis: day, at })
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) {
      expect(row.evidence).toBe('prior')
      expect(row.status).toBe('needs_evidence')
      // Images and a p99 input of 150k rule out text-only and 128k-context models.
      expect(unmetNeed(findCapability(row.suggestedModel)!, needs)).toBeNull()
      expect(row.projectedCostUsd).toBeLessThan(row.currentCostUsd)
    }
    expect(rows.map((row) => row.suggestedModel)).not.toContain('gpt-4o-mini')
  })

  it('should say whether a switch the estimate advises against is proven worse or only leans so', () => {
    const observed = (current: ModelArm, candidate: ModelArm) => {
      const cluster: StepCluster = {
        taskName: 'triage',
        step: 'classify',
        needs: { ...needs, vision: false, p99InputTokens: 1000 },
        arms: [current, candidate],
        replays: [],
      }
      const row = recommendStep(cluster, { tolerance: 2, windowMillis: day, at }).find(
        (candidateRow) => candidateRow.suggestedModel === 'gpt-4o-mini',
      )!
      expect(row.status).toBe('not_recommended')
      return row
    }
    // 8 vs 4 tasks: the estimate is below the tolerance, the interval far above it.
    const thin = observed(arm('gpt-4o', 7, 1), arm('gpt-4o-mini', 3, 1))
    const [low, high] = thin.qualityDeltaInterval
    expect(high).toBeGreaterThan(-2)
    expect(thin.reason).toBe(
      `The evidence leans against the switch: ${thin.qualityDelta.toFixed(1)} points, beyond the tolerated -2, but the 95% interval (${low.toFixed(1)} to ${high.toFixed(1)}) still reaches above it, from 8 vs 4 tasks with outcomes on the two models: more outcomes on both models would settle it.`,
    )
    // 100 vs 100 tasks, 97 % against 70 %: the whole interval is below the tolerance.
    const clear = observed(arm('gpt-4o', 97, 3), arm('gpt-4o-mini', 70, 30))
    expect(clear.qualityDeltaInterval[1]).toBeLessThan(-2)
    expect(clear.reason).toBe(
      `The suggested model does worse: ${clear.qualityDelta.toFixed(1)} points (95% interval ${clear.qualityDeltaInterval[0].toFixed(1)} to ${clear.qualityDeltaInterval[1].toFixed(1)}), beyond the tolerated -2, from 100 vs 100 tasks with outcomes on the two models.`,
    )
  })

  it('should reprice observed switches and sort recommended rows first', () => {
    const cluster: StepCluster = {
      taskName: 'triage',
      step: 'classify',
      needs: { ...needs, vision: false, p99InputTokens: 1000 },
      arms: [arm('gpt-4o', 600, 0), arm('gpt-4o-mini', 600, 0)],
      replays: [],
    }
    const rows = sortRecommendations(
      recommendStep(cluster, { tolerance: 2, windowMillis: day, at }),
    )
    expect(rows[0]).toMatchObject({
      currentModel: 'gpt-4o',
      suggestedModel: 'gpt-4o-mini',
      evidence: 'observed',
      status: 'recommended',
      calls: 600,
      currentCostUsd: 2.1,
      // 600 × (1000 × 0.15e-6 + 100 × 0.6e-6) = 0.126.
      projectedCostUsd: 0.126,
      savingsUsd: 1.974,
    })
    expect(rows[0]!.monthlySavingsUsd).toBeCloseTo(1.974 * 30, 9)
  })
})
