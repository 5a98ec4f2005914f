// Typed builders for unit tests: each returns a valid API value that a test overrides field by
// field, so a test states only what it is about.
import type { Recommendation } from '../api/recommendations'
import type { CostRow, TaskDetailSummary, TaskSpan } from '../api/types'

/** A cost row of one task name with one successful task. */
export function createTestCostRow(overrides: Partial<CostRow> = {}): CostRow {
  return {
    key: 'triage',
    series: null,
    costUsd: 0.5,
    unpricedCalls: 0,
    tasks: 1,
    successfulTasks: 1,
    failedTasks: null,
    unpricedOnlyTasks: 0,
    unpricedOnlySuccessfulTasks: 0,
    p50TaskCostUsd: 0.5,
    p95TaskCostUsd: 0.5,
    costPerSuccessfulTaskUsd: 0.5,
    ...overrides,
  }
}

/** A finished, fully priced task of two seconds, without a score. */
export function createTestTask(overrides: Partial<TaskDetailSummary> = {}): TaskDetailSummary {
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
    callsWithoutUsage: 0,
    outcome: 'success',
    score: null,
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

/** A recommendation issued on observed evidence: triage/classify from gpt-4o to gpt-4o-mini. */
export function createTestRecommendation(overrides: Partial<Recommendation> = {}): Recommendation {
  return {
    taskName: 'triage',
    step: 'classify',
    currentModel: 'gpt-4o',
    currentProvider: 'openai',
    suggestedModel: 'gpt-4o-mini',
    suggestedProvider: 'openai',
    evidence: 'observed',
    status: 'recommended',
    calls: 1200,
    currentCostUsd: 12,
    projectedCostUsd: 0.72,
    savingsUsd: 11.28,
    monthlySavingsUsd: 11.28,
    monthlySavingsIntervalUsd: [9.5, 13.1],
    qualityDelta: -0.4,
    qualityDeltaInterval: [-2.25, 1.5],
    confidence: 0.97,
    sample: { current: 600, suggested: 580 },
    neededSample: null,
    outputRatio: 1.1,
    reason: 'Both models ran this step with equal outcome rates.',
    ...overrides,
  }
}
