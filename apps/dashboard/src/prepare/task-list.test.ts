import { describe, expect, it } from 'vitest'
import { createTestTask } from '../test-support/builders'
import { prepareTaskList } from './task-list'

describe('prepareTaskList', () => {
  it('should say how many calls without usage the token sums leave out', () => {
    const tasks = [
      createTestTask({ taskId: 'some', llmCalls: 2, callsWithoutUsage: 1 }),
      createTestTask({
        taskId: 'all',
        llmCalls: 2,
        callsWithoutUsage: 2,
        inputTokens: 0,
        outputTokens: 0,
      }),
    ]
    const { rows } = prepareTaskList(tasks, { hasMore: false, timeZone: 'UTC' })
    expect(rows.map((row) => [row.taskId, row.tokens])).toEqual([
      ['some', '1,200 in / 300 out + 1 call without usage'],
      ['all', 'unknown + 2 calls without usage'],
    ])
  })

  it('should prepare each task as a table row in the order given', () => {
    const tasks = [
      createTestTask({ taskId: 'run/2', name: '', costUsd: null, unpricedCalls: 2 }),
      createTestTask({ costUsd: 0.0000051, outcome: 'failure', inputTokens: 12345 }),
    ]

    expect(prepareTaskList(tasks, { hasMore: false, timeZone: 'UTC' })).toEqual({
      rows: [
        {
          taskId: 'run/2',
          href: '/tasks/run%2F2',
          name: '(unnamed)',
          start: '2025-01-31 10:00:00',
          duration: '2.0 s',
          llmCalls: '2',
          toolCalls: '1',
          tokens: '1,200 in / 300 out',
          cost: 'unpriced',
          // The cost says it is unpriced; the badge only counts the calls.
          unpriced: '2 calls',
          outcome: { text: 'success', tone: 'success' },
        },
        {
          taskId: 'task-1',
          href: '/tasks/task-1',
          name: 'triage',
          start: '2025-01-31 10:00:00',
          duration: '2.0 s',
          llmCalls: '2',
          toolCalls: '1',
          tokens: '12,345 in / 300 out',
          cost: '$0.0000051',
          unpriced: null,
          outcome: { text: 'failure', tone: 'failure' },
        },
      ],
      isEmpty: false,
      note: null,
    })
  })

  it('should note a list with more tasks to load, and mark an empty one', () => {
    const tasks = Array.from({ length: 1200 }, (_, index) =>
      createTestTask({ taskId: `task-${index}` }),
    )
    expect([
      prepareTaskList(tasks, { hasMore: true, timeZone: 'UTC' }).note,
      prepareTaskList(tasks, { hasMore: false, timeZone: 'UTC' }).note,
      prepareTaskList([], { hasMore: false }),
    ]).toEqual([
      'Showing the newest 1,200 tasks of the range.',
      null,
      { rows: [], isEmpty: true, note: null },
    ])
  })
})
