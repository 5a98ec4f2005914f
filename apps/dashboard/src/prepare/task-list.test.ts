import { describe, expect, it } from 'vitest'
import { createTestTask } from '../test-support/builders'
import { prepareTaskList } from './task-list'

describe('prepareTaskList', () => {
  it('should prepare each task as a table row in the order given', () => {
    const tasks = [
      createTestTask({ taskId: 'run/2', name: '', costUsd: null, unpricedCalls: 2 }),
      createTestTask({ costUsd: 0.0000051, outcome: 'failure', inputTokens: 12345 }),
    ]

    expect(prepareTaskList(tasks, { limit: 100, timeZone: 'UTC' })).toEqual({
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

  it('should note a list that reached its limit, and mark an empty one', () => {
    expect([
      prepareTaskList([createTestTask()], { limit: 1, timeZone: 'UTC' }).note,
      prepareTaskList([], { limit: 100 }),
    ]).toEqual([
      'Showing the newest 1 tasks of the range.',
      { rows: [], isEmpty: true, note: null },
    ])
  })
})
