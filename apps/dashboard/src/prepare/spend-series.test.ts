import { describe, expect, it } from 'vitest'
import { createTestCostRow } from '../test-support/builders'
import { prepareSpendSeries } from './spend-series'

const THREE_DAYS = { from: '2025-01-29T12:00:00.000Z', to: '2025-01-31T12:00:00.000Z' }
const ONE_DAY = { from: '2025-01-31T00:00:00.000Z', to: '2025-01-31T12:00:00.000Z' }

function dayRow(key: string, series: string, costUsd: number, tasks: number, p50: number) {
  return createTestCostRow({
    key,
    series,
    costUsd,
    tasks,
    successfulTasks: tasks,
    p50TaskCostUsd: p50,
    p95TaskCostUsd: p50,
    costPerSuccessfulTaskUsd: costUsd / tasks,
  })
}

describe('prepareSpendSeries', () => {
  it('should stack task names per day, largest first, with 0 for missing pairs', () => {
    const rows = [
      dayRow('2025-01-29', 'triage', 0.5, 2, 0.25),
      dayRow('2025-01-31', 'triage', 0.25, 1, 0.25),
      dayRow('2025-01-31', 'refund', 1, 1, 1),
    ]
    const refund = { dataKey: 's0', name: 'refund', color: '#0072b2' }
    const triage = { dataKey: 's1', name: 'triage', color: '#e69f00' }

    expect(prepareSpendSeries(rows, { window: THREE_DAYS, bucket: 'day' })).toEqual({
      series: [
        { ...refund, totalUsd: 1 },
        { ...triage, totalUsd: 0.75 },
      ],
      data: [
        { index: 0, label: 'Jan 29', s0: 0, s1: 0.5 },
        { index: 1, label: 'Jan 30', s0: 0, s1: 0 },
        { index: 2, label: 'Jan 31', s0: 1, s1: 0.25 },
      ],
      tooltips: [
        {
          title: 'Jan 29, 2025 (UTC)',
          total: '$0.50',
          lines: [{ ...triage, spend: '$0.50', tasks: '2 tasks', p50: '$0.25', p95: '$0.25' }],
        },
        { title: 'Jan 30, 2025 (UTC)', total: '$0.00', lines: [] },
        {
          title: 'Jan 31, 2025 (UTC)',
          total: '$1.25',
          lines: [
            { ...refund, spend: '$1.00', tasks: '1 task', p50: '$1.00', p95: '$1.00' },
            { ...triage, spend: '$0.25', tasks: '1 task', p50: '$0.25', p95: '$0.25' },
          ],
        },
      ],
      totalUsd: 1.75,
      isEmpty: false,
    })
  })

  it('should merge the names past maxSeries into other, with unknown percentiles', () => {
    const rows = [
      dayRow('2025-01-31', 'b', 0.5, 2, 0.25),
      dayRow('2025-01-31', 'a', 1, 1, 1),
      dayRow('2025-01-31', 'c', 0.25, 1, 0.25),
    ]
    const a = { dataKey: 's0', name: 'a', color: '#0072b2' }
    const other = { dataKey: 'other', name: 'Other task names', color: '#8c8c8c' }

    expect(prepareSpendSeries(rows, { window: ONE_DAY, bucket: 'day', maxSeries: 2 })).toEqual({
      series: [
        { ...a, totalUsd: 1 },
        { ...other, totalUsd: 0.75 },
      ],
      data: [{ index: 0, label: 'Jan 31', s0: 1, other: 0.75 }],
      tooltips: [
        {
          title: 'Jan 31, 2025 (UTC)',
          total: '$1.75',
          lines: [
            { ...a, spend: '$1.00', tasks: '1 task', p50: '$1.00', p95: '$1.00' },
            { ...other, spend: '$0.75', tasks: '3 tasks', p50: '—', p95: '—' },
          ],
        },
      ],
      totalUsd: 1.75,
      isEmpty: false,
    })
  })

  it('does not keep percentiles for a row without tasks, nor invent them for merged rows', () => {
    const rows = [
      createTestCostRow({ key: '2025-01-31', series: 'idle', costUsd: 0, tasks: 0 }),
      dayRow('2025-01-31', 'triage', 0.5, 1, 0.5),
      dayRow('2025-01-31 00:00:00', 'triage', 0.25, 1, 0.25),
    ]
    const model = prepareSpendSeries(rows, { window: ONE_DAY, bucket: 'day' })

    expect({ data: model.data, tooltips: model.tooltips, series: model.series }).toEqual({
      data: [{ index: 0, label: 'Jan 31', s0: 0.75, s1: 0 }],
      tooltips: [
        {
          title: 'Jan 31, 2025 (UTC)',
          total: '$0.75',
          lines: [
            {
              dataKey: 's0',
              name: 'triage',
              color: '#0072b2',
              spend: '$0.75',
              tasks: '2 tasks',
              p50: '—',
              p95: '—',
            },
          ],
        },
      ],
      series: [
        { dataKey: 's0', name: 'triage', color: '#0072b2', totalUsd: 0.75 },
        { dataKey: 's1', name: 'idle', color: '#e69f00', totalUsd: 0 },
      ],
    })
  })

  it('should bucket by hour and keep an unreadable key as the last bar', () => {
    const window = { from: '2025-01-31T10:30:00.000Z', to: '2025-01-31T11:30:00.000Z' }
    const rows = [
      dayRow('2025-01-31T11:00:00Z', '', 0.5, 1, 0.5),
      dayRow('late', '', 0.25, 1, 0.25),
    ]
    const unnamed = { dataKey: 's0', name: '(unnamed)', color: '#0072b2' }

    expect(prepareSpendSeries(rows, { window, bucket: 'hour' })).toEqual({
      series: [{ ...unnamed, totalUsd: 0.75 }],
      data: [
        { index: 0, label: '10:00', s0: 0 },
        { index: 1, label: '11:00', s0: 0.5 },
        { index: 2, label: 'late', s0: 0.25 },
      ],
      tooltips: [
        { title: 'Jan 31, 2025, 10:00 UTC', total: '$0.00', lines: [] },
        {
          title: 'Jan 31, 2025, 11:00 UTC',
          total: '$0.50',
          lines: [{ ...unnamed, spend: '$0.50', tasks: '1 task', p50: '$0.50', p95: '$0.50' }],
        },
        {
          title: 'late',
          total: '$0.25',
          lines: [{ ...unnamed, spend: '$0.25', tasks: '1 task', p50: '$0.25', p95: '$0.25' }],
        },
      ],
      totalUsd: 0.75,
      isEmpty: false,
    })
  })

  it('should mark a window without spend as empty and still list its buckets', () => {
    expect(prepareSpendSeries([], { window: ONE_DAY, bucket: 'day' })).toEqual({
      series: [],
      data: [{ index: 0, label: 'Jan 31' }],
      tooltips: [{ title: 'Jan 31, 2025 (UTC)', total: '$0.00', lines: [] }],
      totalUsd: 0,
      isEmpty: true,
    })
  })

  it('should name rows without a series as all tasks', () => {
    const model = prepareSpendSeries([createTestCostRow({ key: '2025-01-31' })], {
      window: ONE_DAY,
      bucket: 'day',
    })
    expect(model.series).toEqual([
      { dataKey: 's0', name: 'All tasks', color: '#0072b2', totalUsd: 0.5 },
    ])
  })
})
