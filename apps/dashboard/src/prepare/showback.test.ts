import { describe, expect, it } from 'vitest'
import { prepareShowback } from './showback'

describe('prepareShowback', () => {
  it('should label unattributed spend, format shares and keep exact numbers for CSV', () => {
    const model = prepareShowback(
      {
        mapped: true,
        attributeKey: 'team',
        totalCostUsd: 0.0400051,
        totalTasks: 6,
        rows: [
          { key: 'support', month: null, costUsd: 0.04, tasks: 5, unpricedCalls: 1, share: 0.9998 },
          { key: '', month: null, costUsd: 0.0000051, tasks: 1, unpricedCalls: 0, share: 0.0001 },
        ],
      },
      'Team',
    )
    expect(model.total).toBe('$0.040')
    expect(model.csvHeader).toEqual(['team', 'cost_usd', 'tasks', 'share', 'unpriced_calls'])
    expect(model.rows.map((row) => [row.label, row.cost, row.share, row.unpriced])).toEqual([
      ['support', '$0.040', '100.0%', '1 unpriced call'],
      ['(not set)', '$0.0000051', '<0.1%', ''],
    ])
    expect(model.rows[1]!.csv).toEqual(['(not set)', 0.0000051, 1, 0.0001, 0])
  })

  it('should add the month column for the monthly report, unpriced for an unknown spend', () => {
    const model = prepareShowback(
      {
        mapped: true,
        attributeKey: 'team',
        totalCostUsd: null,
        totalTasks: 1,
        rows: [
          { key: 'a', month: '2026-11', costUsd: null, tasks: 1, unpricedCalls: 2, share: null },
        ],
      },
      'Customer',
    )
    expect(model.csvHeader[0]).toBe('month')
    expect(model.total).toBe('unpriced')
    expect(model.rows[0]).toMatchObject({
      cost: 'unpriced',
      share: '—',
      unpriced: '2 unpriced calls',
    })
    expect(model.rows[0]!.csv).toEqual(['2026-11', 'a', null, 1, null, 2])
  })
})
