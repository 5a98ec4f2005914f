// Typed builders for unit tests: each returns a valid API value that a test overrides field by
// field, so a test states only what it is about.
import type { CostRow, TaskSpan, TaskSummary } from '../api/types'

/** A cost row of one task name with one successful task. */
export function createTestCostRow(overrides: Partial<CostRow> = {}): CostRow {
  return {
    key: 'triage',
    series: null,
    costUsd: 0.5,
    tasks: 1,
    successfulTasks: 1,
    failedTasks: null,
    p50TaskCostUsd: 0.5,
    p95TaskCostUsd: 0.5,
    costPerSuccessfulTaskUsd: 0.5,
    ...overrides,
  }
}

/** A finished, fully priced task of two seconds. */
export function createTestTask(overrides: Partial<TaskSummary> = {}): TaskSummary {
  return {
    taskId: 'task-1',
    name: 'triage',
    startTime: '2025-01-31T10:00:00.000Z',
    endTime: '2025-01-31T10:00:02.000Z',
    costUsd: 0.25,
    unpricedCalls: 0,
    llmCalls: 2,
    toolCalls: 1,
    inputTokens: 1200,
    outputTokens: 300,
    outcome: 'success',
    ...overrides,
  }
}

/** A priced LLM span with known usage, under the span `root`. */
export function createTestSpan(overrides: Partial<TaskSpan> = {}): TaskSpan {
  return {
    spanId: 'span-1',
    parentSpanId: 'root',
    traceId: 'trace-1',
    name: 'chat gpt-4o-mini',
    kind: 'llm',
    step: 'classify',
    provider: 'openai',
    model: 'gpt-4o-mini',
    usage: {
      inputTokens: 1000,
      outputTokens: 200,
      cacheReadTokens: 400,
      cacheWriteTokens: 0,
      reasoningTokens: 50,
    },
    costUsd: 0.000255,
    priced: true,
    priceReason: null,
    startTime: '2025-01-31T10:00:00.000Z',
    endTime: '2025-01-31T10:00:01.000Z',
    status: 'ok',
    statusMessage: null,
    ...overrides,
  }
}
