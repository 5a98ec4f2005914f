import { describe, expect, it } from 'vitest'
import { decodeRegressions, decodeShowback } from './explore'

describe('Explore decoders', () => {
  it('should read a showback answer and tell a mapped dimension from an unmapped one', () => {
    const rows = [{ key: 'a', costUsd: 1, tasks: 2, unpricedCalls: 0, share: 1 }]
    expect(
      decodeShowback({
        mapping: { source: 'resource', attributeKey: 'team' },
        totalCostUsd: 1,
        totalTasks: 2,
        rows,
      }),
    ).toEqual({
      mapped: true,
      attributeKey: 'team',
      totalCostUsd: 1,
      totalTasks: 2,
      rows: [{ ...rows[0], month: null }],
    })
    expect(decodeShowback({ mapping: null, totalCostUsd: 0, totalTasks: 0, rows: [] })).toEqual({
      mapped: false,
      attributeKey: null,
      totalCostUsd: 0,
      totalTasks: 0,
      rows: [],
    })
  })

  it('should name the field when a regression part is missing', () => {
    const figures = {
      group: 'current',
      tasks: 1,
      callsPerTask: 1,
      inputTokensPerCall: 1,
      cacheHitShare: null,
      topModel: null,
    }
    expect(() =>
      decodeRegressions({
        method: 'm',
        rows: [
          {
            taskName: 't',
            current: figures,
            baseline: figures,
            costPerTaskUsd: 1,
            baselineCostPerTaskUsd: 1,
            changeUsd: 0,
            changeShare: 0,
            parts: { callsPerTask: 0 },
          },
        ],
      }),
    ).toThrow('Unexpected API response: rows[0].parts.modelMix should be a number, got undefined')
  })
})
