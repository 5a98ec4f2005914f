import { describe, expect, it } from 'vitest'
import { createTestCostRow } from '../test-support/builders'
import { prepareCostDistribution } from './cost-distribution'
import { prepareCostSummary } from './cost-summary'
import { prepareSpendSeries } from './spend-series'

/** A group none of whose calls could be priced, as `GET /api/v1/costs` sends it. */
const unknown = createTestCostRow({
  key: 'mystery',
  costUsd: null,
  unpricedCalls: 2,
  tasks: 1,
  successfulTasks: 1,
  p50TaskCostUsd: null,
  p95TaskCostUsd: null,
  costPerSuccessfulTaskUsd: null,
})
const priced = createTestCostRow({ key: 'triage', costUsd: 0.5, unpricedCalls: 1 })

describe('cost rows with an unknown spend', () => {
  it('should read unpriced in the distribution, after every known spend', () => {
    const model = prepareCostDistribution([unknown, priced], null)
    expect(
      model.rows.map((row) => [row.key, row.spend, row.p50, row.costPerSuccessfulTask]),
    ).toEqual([
      ['triage', '$0.50', '$0.50', '$0.50'],
      ['mystery', 'unpriced', '—', '—'],
    ])
  })

  it('should total the priced part, and read unpriced when nothing is priced', () => {
    expect(prepareCostSummary([unknown, priced], null, null)).toMatchObject({
      totalSpendUsd: 0.5,
      totalSpend: '$0.50',
      costPerSuccessfulTask: '$0.25',
    })
    expect(prepareCostSummary([unknown], null, null)).toMatchObject({
      totalSpendUsd: null,
      totalSpend: 'unpriced',
      costPerSuccessfulTask: '—',
    })
    // No row at all spent nothing.
    expect(prepareCostSummary([], null, null)).toMatchObject({ totalSpendUsd: 0 })
  })

  it('should draw an unknown cell as no bar and say unpriced in its tooltip', () => {
    const model = prepareSpendSeries([{ ...unknown, key: '2026-12-03', series: 'mystery' }], {
      window: { from: '2026-12-03T00:00:00Z', to: '2026-12-04T00:00:00Z' },
      bucket: 'day',
    })
    const day = model.tooltips.findIndex((tooltip) => tooltip.lines.length > 0)
    expect(model.data[day]!.s0).toBe(0)
    expect(model.tooltips[day]).toMatchObject({
      total: 'unpriced',
      lines: [{ name: 'mystery', spend: 'unpriced', p50: '—', p95: '—' }],
    })
  })
})
