import { describe, expect, it } from 'vitest'
import type { WhatIfResult } from '../api/what-if'
import {
  acceptedToSearch,
  formatChange,
  parseAcceptedSearch,
  prepareWhatIf,
  unpricedNote,
} from './what-if'

function result(overrides: Partial<WhatIfResult> = {}): WhatIfResult {
  return {
    from: '2026-11-04T00:00:00.000Z',
    to: '2026-12-04T00:00:00.000Z',
    current: {
      totalCostUsd: 0.0285,
      tasks: 4,
      costPerTaskUsd: 0.007125,
      p50TaskCostUsd: 0.0045,
      p95TaskCostUsd: 0.0145,
    },
    projected: {
      totalCostUsd: 0.01724,
      tasks: 4,
      costPerTaskUsd: 0.00431,
      p50TaskCostUsd: 0.00187,
      p95TaskCostUsd: 0.01033,
    },
    byTaskName: [
      {
        taskName: 'triage',
        tasks: 3,
        currentCostPerTaskUsd: 0.008,
        projectedCostPerTaskUsd: 0.004246666667,
        currentTotalUsd: 0.024,
        projectedTotalUsd: 0.01274,
        unpricedCalls: 0,
      },
      {
        taskName: 'report',
        tasks: 1,
        currentCostPerTaskUsd: 0.0045,
        projectedCostPerTaskUsd: 0.0045,
        currentTotalUsd: 0.0045,
        projectedTotalUsd: 0.0045,
        unpricedCalls: 1,
      },
    ],
    switches: [
      {
        taskName: 'triage',
        step: 'classify',
        currentModel: 'gpt-4o',
        suggestedModel: 'gpt-4o-mini',
        calls: 3,
        currentCostUsd: 0.01225,
        projectedCostUsd: 0.00099,
      },
    ],
    unpricedCalls: 1,
    unpricedOnlyTasks: 0,
    ...overrides,
  }
}

describe('prepareWhatIf', () => {
  it('should give per task name and total rows, percentiles, chart bars and the unpriced note', () => {
    const model = prepareWhatIf(result())
    expect(model.rows).toEqual([
      {
        taskName: 'triage',
        tasks: 3,
        currentPerTask: '$0.0080',
        projectedPerTask: '$0.0042',
        currentTotal: '$0.024',
        projectedTotal: '$0.013',
        change: '\u221246.9%',
        unpriced: '0',
      },
      {
        taskName: 'report',
        tasks: 1,
        currentPerTask: '$0.0045',
        projectedPerTask: '$0.0045',
        currentTotal: '$0.0045',
        projectedTotal: '$0.0045',
        change: '0.0%',
        unpriced: '1',
      },
    ])
    expect(model.totals).toEqual({
      taskName: 'All tasks',
      tasks: 4,
      currentPerTask: '$0.0071',
      projectedPerTask: '$0.0043',
      currentTotal: '$0.029',
      projectedTotal: '$0.017',
      change: '\u221239.5%',
      unpriced: '1',
    })
    expect(model.percentiles).toEqual({
      current: 'p50 $0.0045 · p95 $0.015',
      projected: 'p50 $0.0019 · p95 $0.010',
    })
    expect(model.chart).toEqual([
      { name: 'triage', current: 0.008, projected: 0.004246666667 },
      { name: 'report', current: 0.0045, projected: 0.0045 },
    ])
    expect(model.switches.map((line) => line.text)).toEqual([
      'triage · step classify: gpt-4o → gpt-4o-mini, 3 calls, $0.012 → $0.00099',
    ])
    expect(model.unpricedNote).toBe('1 unpriced call in the window is in neither figure.')
  })

  it('should write — for per-task figures of no task and drop the note with nothing unpriced', () => {
    const empty = {
      totalCostUsd: 0,
      tasks: 0,
      costPerTaskUsd: null,
      p50TaskCostUsd: null,
      p95TaskCostUsd: null,
    }
    const model = prepareWhatIf(
      result({ current: empty, projected: empty, byTaskName: [], unpricedCalls: 0 }),
    )
    expect([model.totals.currentPerTask, model.totals.change, model.percentiles.current]).toEqual([
      '—',
      '—',
      'p50 — · p95 —',
    ])
    expect(model.unpricedNote).toBeNull()
  })
})

describe('unpricedNote', () => {
  it('should say how many tasks without any price were left out and how many calls', () => {
    expect([
      unpricedNote(3, 12),
      unpricedNote(1, 0),
      unpricedNote(0, 1),
      unpricedNote(0, 0),
    ]).toEqual([
      '3 tasks without any price left out; 12 unpriced calls in the window are in neither figure.',
      '1 task without any price left out.',
      '1 unpriced call in the window is in neither figure.',
      null,
    ])
  })

  it('does write the totals of no priced task as unknown, not $0', () => {
    const empty = {
      totalCostUsd: 0,
      tasks: 0,
      costPerTaskUsd: null,
      p50TaskCostUsd: null,
      p95TaskCostUsd: null,
    }
    const model = prepareWhatIf(
      result({
        current: empty,
        projected: empty,
        byTaskName: [],
        unpricedCalls: 2,
        unpricedOnlyTasks: 2,
      }),
    )
    expect([model.totals.currentTotal, model.totals.projectedTotal, model.totals.unpriced]).toEqual(
      ['—', '—', '0'],
    )
    expect(model.unpricedNote).toBe(
      '2 tasks without any price left out; 2 unpriced calls in the window are in neither figure.',
    )
  })
})

describe('formatChange', () => {
  it('should give the relative change with a sign', () => {
    expect([formatChange(2, 3), formatChange(4, 1), formatChange(0, 1)]).toEqual([
      '+50.0%',
      '\u221275.0%',
      '—',
    ])
  })

  it('should show a small change as under 0.1%, never as none', () => {
    const changes = [formatChange(10_000, 10_004), formatChange(10_000, 9_999), formatChange(3, 3)]
    expect(changes).toEqual(['+<0.1%', '\u2212<0.1%', '0.0%'])
  })
})

describe('accepted switches in the query string', () => {
  it('should round-trip names with commas, slashes and spaces', () => {
    const accepted = [
      {
        taskName: 'triage, EU',
        step: 'classify/v2',
        currentModel: 'gpt-4o',
        suggestedModel: 'gpt-4o mini',
        outputRatio: 1.25,
        suggestedProvider: 'openai',
      },
      { taskName: 'report', step: 'draft', currentModel: 'a', suggestedModel: 'b' },
    ]
    expect(parseAcceptedSearch(acceptedToSearch(accepted))).toEqual(accepted)
    expect(acceptedToSearch([])).toBe('')
  })

  it('should leave out malformed entries', () => {
    expect(
      parseAcceptedSearch('?accept=a,b&accept=a,b,c,d,-1&accept=a,b,c,d,1,p,x&accept=,b,c,d&x=1'),
    ).toEqual([])
  })
})
