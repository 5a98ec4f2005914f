import { describe, expect, it } from 'vitest'
import { createTestCostRow } from '../test-support/builders'
import { prepareCostDistribution } from './cost-distribution'

const rows = [
  createTestCostRow({
    key: 'triage',
    costUsd: 0.75,
    tasks: 3,
    successfulTasks: 2,
    p50TaskCostUsd: 0.25,
    p95TaskCostUsd: 0.5,
    costPerSuccessfulTaskUsd: 0.375,
  }),
  createTestCostRow({
    key: 'refund',
    costUsd: 2,
    tasks: 4,
    successfulTasks: 0,
    p50TaskCostUsd: 0.0000051,
    p95TaskCostUsd: 1.5,
    costPerSuccessfulTaskUsd: null,
  }),
  createTestCostRow({
    key: '',
    costUsd: 0,
    tasks: 0,
    successfulTasks: 0,
    p50TaskCostUsd: 0,
    p95TaskCostUsd: 0,
    costPerSuccessfulTaskUsd: 0,
  }),
]

describe('prepareCostDistribution', () => {
  it('should list p50 and p95 per task name, largest spend first', () => {
    expect(prepareCostDistribution(rows, null)).toEqual({
      rows: [
        {
          key: 'refund',
          name: 'refund',
          tasks: '4',
          p50: '$0.0000051',
          p95: '$1.50',
          costPerSuccessfulTask: '—',
          spend: '$2.00',
        },
        {
          key: 'triage',
          name: 'triage',
          tasks: '3',
          p50: '$0.25',
          p95: '$0.50',
          costPerSuccessfulTask: '$0.38',
          spend: '$0.75',
        },
        {
          key: '',
          name: '(unnamed)',
          tasks: '0',
          p50: '—',
          p95: '—',
          costPerSuccessfulTask: '—',
          spend: '$0.00',
        },
      ],
      bars: [
        { name: 'refund', p50: 0.0000051, p95: 1.5 },
        { name: 'triage', p50: 0.25, p95: 0.5 },
        { name: '(unnamed)', p50: null, p95: null },
      ],
      chartHeight: 184,
      isEmpty: false,
    })
  })

  it('should keep only the selected task name', () => {
    expect(prepareCostDistribution(rows, 'triage').bars).toEqual([
      { name: 'triage', p50: 0.25, p95: 0.5 },
    ])
  })

  it('should be empty without rows for the name', () => {
    expect(prepareCostDistribution(rows, 'missing')).toEqual({
      rows: [],
      bars: [],
      chartHeight: 64,
      isEmpty: true,
    })
  })
})
