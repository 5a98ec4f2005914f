import { describe, expect, it } from 'vitest'
import type { RegressionRow } from '../api/explore'
import { prepareRegressions } from './regressions'

const figures = {
  group: 'current',
  tasks: 2,
  callsPerTask: 1.5,
  inputTokensPerCall: 1333.33,
  cacheHitShare: 0,
  topModel: 'gpt-4o',
}

const row: RegressionRow = {
  taskName: 'triage',
  current: figures,
  baseline: { ...figures, group: 'previous', callsPerTask: 1 },
  costPerTaskUsd: 0.0125,
  baselineCostPerTaskUsd: 0.0075,
  changeUsd: 0.005,
  changeShare: 2 / 3,
  parts: {
    callsPerTask: 0.00375,
    modelMix: 0,
    promptLength: 0.00125,
    cacheHits: 0,
    outputAndOther: 0,
    toolFees: 0,
  },
}

describe('prepareRegressions', () => {
  it('should order the parts by effect and name the main driver', () => {
    const [view] = prepareRegressions([row])
    expect(view).toMatchObject({
      label: 'triage',
      baselineCost: '$0.0075',
      cost: '$0.013',
      change: '+$0.0050',
      changeShare: '+66.7%',
      worse: true,
      driver: 'mostly: More calls per task',
      details: '1.50 calls/task · 1,333 input tokens/call · 0.0% cache hits · gpt-4o',
    })
    expect(view!.parts.slice(0, 2).map((part) => [part.label, part.value])).toEqual([
      ['More calls per task', '+$0.0038'],
      ['Longer prompts', '+$0.0013'],
    ])
    expect(view!.csv).toEqual([
      'triage',
      'current',
      'previous',
      0.0075,
      0.0125,
      0.005,
      0.00375,
      0,
      0.00125,
      0,
      0,
      0,
    ])
  })

  it('does tell a missing baseline apart from no change', () => {
    const [none, flat] = prepareRegressions([
      {
        ...row,
        baseline: null,
        baselineCostPerTaskUsd: null,
        changeUsd: null,
        changeShare: null,
        parts: null,
      },
      {
        ...row,
        changeUsd: 0,
        changeShare: 0,
        parts: { ...row.parts!, callsPerTask: 0, promptLength: 0 },
      },
    ])
    expect([none!.change, none!.baselineGroup, none!.driver, none!.parts]).toEqual([
      '—',
      '—',
      'no baseline',
      [],
    ])
    expect([flat!.change, flat!.driver, flat!.worse]).toEqual(['$0.00', 'no change', false])
    expect(none!.csv.slice(2)).toEqual([
      null,
      null,
      0.0125,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ])
  })
})
