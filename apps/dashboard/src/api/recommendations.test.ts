import { describe, expect, it } from 'vitest'
import { createTestRecommendation } from '../test-support/builders'
import { decodeRecommendationReport } from './recommendations'
import { decodeWhatIf } from './what-if'

describe('decodeRecommendationReport', () => {
  it('should read every contract field of a recommendation', () => {
    const rec = createTestRecommendation({ neededSample: 350 })
    const json = { from: 'a', to: 'b', toleranceDrop: 2, recommendations: [rec] }
    expect(decodeRecommendationReport(json)).toEqual(json)
  })

  it('should name the field of a bad evidence, status or interval', () => {
    const report = (overrides: Record<string, unknown>) => ({
      from: 'a',
      to: 'b',
      toleranceDrop: 2,
      recommendations: [{ ...createTestRecommendation(), ...overrides }],
    })
    expect(() => decodeRecommendationReport(report({ evidence: 'guess' }))).toThrow(
      'recommendations[0].evidence should be one of observed, replay, prior, got string',
    )
    expect(() => decodeRecommendationReport(report({ status: 'maybe' }))).toThrow(
      'recommendations[0].status should be one of recommended, needs_evidence, not_recommended',
    )
    expect(() => decodeRecommendationReport(report({ qualityDeltaInterval: [1] }))).toThrow(
      'recommendations[0].qualityDeltaInterval should be a [low, high] pair, got an array',
    )
  })
})

describe('decodeWhatIf', () => {
  it('should read summaries with null percentiles, rows and switches', () => {
    const empty = {
      totalCostUsd: 0,
      tasks: 0,
      costPerTaskUsd: null,
      p50TaskCostUsd: null,
      p95TaskCostUsd: null,
    }
    const json = {
      from: 'a',
      to: 'b',
      current: empty,
      projected: { ...empty, totalCostUsd: '0.5', tasks: 1, costPerTaskUsd: 0.5 },
      byTaskName: [
        {
          taskName: 'triage',
          tasks: 1,
          currentCostPerTaskUsd: 1,
          projectedCostPerTaskUsd: 0.5,
          currentTotalUsd: 1,
          projectedTotalUsd: 0.5,
          unpricedCalls: 2,
        },
      ],
      switches: [
        {
          taskName: 'triage',
          step: 'classify',
          currentModel: 'gpt-4o',
          suggestedModel: 'gpt-4o-mini',
          calls: 2,
          currentCostUsd: 1,
          projectedCostUsd: 0.5,
        },
      ],
      unpricedCalls: 3,
      unpricedOnlyTasks: 1,
    }
    expect(decodeWhatIf(json)).toEqual({
      ...json,
      projected: { ...json.projected, totalCostUsd: 0.5 },
    })
    // An older collector without the unpriced counts of tasks and task names: none.
    const { unpricedOnlyTasks: _tasks, ...older } = json
    const decoded = decodeWhatIf({
      ...older,
      byTaskName: older.byTaskName.map(({ unpricedCalls: _calls, ...row }) => row),
    })
    expect([decoded.unpricedOnlyTasks, decoded.byTaskName[0]!.unpricedCalls]).toEqual([0, 0])
  })

  it('should name a missing summary', () => {
    expect(() => decodeWhatIf({ from: 'a', to: 'b' })).toThrow(
      'Unexpected API response: current should be an object, got undefined',
    )
  })
})
