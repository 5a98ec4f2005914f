import { describe, expect, it } from 'vitest'
import { createTestCostRow, createTestTask } from '../test-support/builders'
import { prepareCostSummary } from './cost-summary'

const rows = [
  createTestCostRow({ key: 'triage', costUsd: 0.75, tasks: 3, successfulTasks: 2 }),
  createTestCostRow({ key: 'refund', costUsd: 2.25, tasks: 4, successfulTasks: 1 }),
]

const listed = {
  tasks: [
    createTestTask({ taskId: 'a', outcome: 'failure' }),
    createTestTask({ taskId: 'b', outcome: 'success' }),
    createTestTask({ taskId: 'c', outcome: '' }),
  ],
  limit: 100,
}

describe('prepareCostSummary', () => {
  it('should total spend and tasks and count failures in the task list', () => {
    expect(prepareCostSummary(rows, null, listed)).toEqual({
      totalSpendUsd: 3,
      totalSpend: '$3.00',
      tasks: '7',
      successfulTasks: '3',
      failures: '1',
      costPerSuccessfulTask: '$1.00',
      costPerSuccessfulTaskNote: null,
    })
  })

  it('should narrow to the selected task name', () => {
    expect(prepareCostSummary(rows, 'triage', listed)).toEqual({
      totalSpendUsd: 0.75,
      totalSpend: '$0.75',
      tasks: '3',
      successfulTasks: '2',
      failures: '1',
      costPerSuccessfulTask: '$0.38',
      costPerSuccessfulTaskNote: null,
    })
  })

  it('should prefer the failure counts of the cost rows when the collector sends them', () => {
    const counted = rows.map((row, index) => ({ ...row, failedTasks: index + 1 }))
    expect(prepareCostSummary(counted, null, null).failures).toEqual('3')
  })

  it('does write failures of a full task list as a floor, and a dash without a list', () => {
    expect([
      prepareCostSummary(rows, null, { ...listed, limit: 3 }).failures,
      prepareCostSummary(rows, null, null).failures,
    ]).toEqual(['≥ 1', '—'])
  })

  it('should give $0.00 spend and no cost per success for a range without tasks', () => {
    expect(prepareCostSummary([], null, { tasks: [], limit: 100 })).toEqual({
      totalSpendUsd: 0,
      totalSpend: '$0.00',
      tasks: '0',
      successfulTasks: '0',
      failures: '0',
      costPerSuccessfulTask: '—',
      costPerSuccessfulTaskNote: null,
    })
  })

  it('should leave successes of unknown spend out of cost per success, and say so', () => {
    // Two successes priced at $3 between them, three more with every call unpriced.
    const withUnknown = [
      createTestCostRow({ key: 'triage', costUsd: 3, tasks: 3, successfulTasks: 2 }),
      createTestCostRow({
        key: 'mystery',
        costUsd: null,
        unpricedCalls: 3,
        tasks: 3,
        successfulTasks: 3,
        unpricedOnlyTasks: 3,
        unpricedOnlySuccessfulTasks: 3,
      }),
    ]
    expect(prepareCostSummary(withUnknown, null, null)).toMatchObject({
      successfulTasks: '5',
      costPerSuccessfulTask: '$1.50',
      costPerSuccessfulTaskNote: '3 without any price left out',
    })
  })
})
