import { describe, expect, it } from 'vitest'
import {
  decodeCostRows,
  decodeSessionProject,
  decodeTaskDetail,
  decodeTaskList,
  decodeTaskPage,
} from './decode'

describe('decodeTaskList', () => {
  it('should read tasks, numeric strings and a missing outcome included', () => {
    const json = {
      tasks: [
        {
          taskId: 't1',
          name: 'triage',
          startTime: '2025-01-31T10:00:00.000Z',
          endTime: '2025-01-31T10:00:02.000Z',
          costUsd: null,
          unpricedCalls: '2',
          llmCalls: 2,
          toolCalls: 0,
          inputTokens: '1200',
          outputTokens: 300,
          callsWithoutUsage: '1',
          outcome: null,
        },
      ],
    }
    expect(decodeTaskList(json)).toEqual([
      {
        taskId: 't1',
        name: 'triage',
        startTime: '2025-01-31T10:00:00.000Z',
        endTime: '2025-01-31T10:00:02.000Z',
        costUsd: null,
        unpricedCalls: 2,
        llmCalls: 2,
        toolCalls: 0,
        inputTokens: 1200,
        outputTokens: 300,
        callsWithoutUsage: 1,
        outcome: '',
      },
    ])
  })

  it('should name the field that has the wrong shape', () => {
    expect(() => decodeTaskList({ tasks: [{ taskId: 't1', llmCalls: 'many' }] })).toThrow(
      'Unexpected API response: tasks[0].startTime should be a string, got undefined',
    )
    expect(() => decodeTaskList({ items: [] })).toThrow(
      'Unexpected API response: tasks should be an array, got undefined',
    )
  })
})

describe('decodeTaskPage', () => {
  it('should read the cursor of the next page, and none from a collector that sends none', () => {
    expect(decodeTaskPage({ tasks: [], nextCursor: 'WyIyMDI2Il0' })).toEqual({
      tasks: [],
      nextCursor: 'WyIyMDI2Il0',
    })
    expect(decodeTaskPage({ tasks: [], nextCursor: null }).nextCursor).toBeNull()
    expect(decodeTaskPage({ tasks: [] }).nextCursor).toBeNull()
    expect(() => decodeTaskPage({ tasks: [], nextCursor: 7 })).toThrow(
      'Unexpected API response: nextCursor should be a string, got number',
    )
  })
})

describe('decodeTaskDetail', () => {
  const task = {
    taskId: 't1',
    name: 'triage',
    startTime: '2025-01-31T10:00:00.000Z',
    endTime: '2025-01-31T10:00:02.000Z',
    costUsd: 0.5,
    unpricedCalls: 0,
    llmCalls: 1,
    toolCalls: 0,
    inputTokens: 10,
    outputTokens: 5,
    outcome: 'success',
  }

  it('should read spans, keeping null usage apart from zero and defaulting odd labels', () => {
    const json = {
      task,
      spans: [
        {
          spanId: 's1',
          parentSpanId: '',
          traceId: 'tr',
          name: 'chat',
          kind: 'llm',
          step: '',
          provider: 'openai',
          model: 'gpt-4o',
          usage: { inputTokens: 10, outputTokens: 5, cacheReadTokens: null },
          costUsd: 0.5,
          startTime: '2025-01-31T10:00:00.000Z',
          endTime: '2025-01-31T10:00:01.000Z',
        },
        {
          spanId: 's2',
          parentSpanId: 's1',
          traceId: 'tr',
          name: 'lookup',
          kind: 'retriever',
          usage: null,
          costUsd: null,
          priced: false,
          priceReason: 'no price for model',
          startTime: '2025-01-31T10:00:01.000Z',
          endTime: '2025-01-31T10:00:02.000Z',
          status: 'error',
          statusMessage: 'timeout',
        },
      ],
    }
    expect(decodeTaskDetail(json).spans).toEqual([
      {
        spanId: 's1',
        parentSpanId: null,
        traceId: 'tr',
        name: 'chat',
        kind: 'llm',
        step: null,
        provider: 'openai',
        model: 'gpt-4o',
        usage: {
          inputTokens: 10,
          outputTokens: 5,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          reasoningTokens: 0,
        },
        costUsd: 0.5,
        priced: true,
        priceReason: null,
        startTime: '2025-01-31T10:00:00.000Z',
        endTime: '2025-01-31T10:00:01.000Z',
        status: 'unset',
        statusMessage: null,
      },
      {
        spanId: 's2',
        parentSpanId: 's1',
        traceId: 'tr',
        name: 'lookup',
        kind: 'other',
        step: null,
        provider: null,
        model: null,
        usage: null,
        costUsd: null,
        priced: false,
        priceReason: 'no price for model',
        startTime: '2025-01-31T10:00:01.000Z',
        endTime: '2025-01-31T10:00:02.000Z',
        status: 'error',
        statusMessage: 'timeout',
      },
    ])
  })

  it('should read the task score, and no score from a collector that sends none', () => {
    const scored = decodeTaskDetail({ task: { ...task, score: 0.82 }, spans: [] }).task
    const unscored = decodeTaskDetail({ task: { ...task, score: null }, spans: [] }).task
    const older = decodeTaskDetail({ task, spans: [] }).task
    expect([scored.score, unscored.score, older.score]).toEqual([0.82, null, null])
    expect(() => decodeTaskDetail({ task: { ...task, score: 'high' }, spans: [] })).toThrow(
      'task.score',
    )
  })
})

describe('decodeCostRows', () => {
  it('should read rows with and without a series', () => {
    const json = {
      rows: [
        { key: 'triage', costUsd: 1.5, tasks: 3, successfulTasks: 2, p50TaskCostUsd: 0.5 },
        { key: '2025-01-31', series: 'triage', costUsd: '0.25', tasks: '1', failedTasks: 1 },
        {
          key: 'mystery',
          costUsd: null,
          unpricedCalls: 2,
          tasks: 1,
          unpricedOnlyTasks: 1,
          unpricedOnlySuccessfulTasks: 1,
          p50TaskCostUsd: null,
        },
      ],
    }
    expect(decodeCostRows(json)).toEqual([
      {
        key: 'triage',
        series: null,
        costUsd: 1.5,
        unpricedCalls: 0,
        tasks: 3,
        successfulTasks: 2,
        failedTasks: null,
        unpricedOnlyTasks: 0,
        unpricedOnlySuccessfulTasks: 0,
        p50TaskCostUsd: 0.5,
        p95TaskCostUsd: null,
        costPerSuccessfulTaskUsd: null,
      },
      {
        key: '2025-01-31',
        series: 'triage',
        costUsd: 0.25,
        unpricedCalls: 0,
        tasks: 1,
        successfulTasks: 0,
        failedTasks: 1,
        unpricedOnlyTasks: 0,
        unpricedOnlySuccessfulTasks: 0,
        p50TaskCostUsd: null,
        p95TaskCostUsd: null,
        costPerSuccessfulTaskUsd: null,
      },
      {
        key: 'mystery',
        series: null,
        costUsd: null,
        unpricedCalls: 2,
        tasks: 1,
        successfulTasks: 0,
        failedTasks: null,
        unpricedOnlyTasks: 1,
        unpricedOnlySuccessfulTasks: 1,
        p50TaskCostUsd: null,
        p95TaskCostUsd: null,
        costPerSuccessfulTaskUsd: null,
      },
    ])
  })

  it('does refuse a cost that is not a number', () => {
    expect(() => decodeCostRows({ rows: [{ key: 'a', costUsd: 'lots', tasks: 1 }] })).toThrow(
      'Unexpected API response: rows[0].costUsd should be a number, got string',
    )
  })
})

describe('decodeSessionProject', () => {
  it('should read the project', () => {
    expect(decodeSessionProject({ project: { id: 'p1', name: 'demo' } })).toEqual({
      id: 'p1',
      name: 'demo',
    })
  })
})
