import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { llmCallSpan, withoutUsage } from './support/hotspot-spans'
import { createOtlpJsonBody, type JsonSpanInput } from './support/otlp-json'
import { outcomeRootSpan } from './support/recommendation-spans'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * A call whose provider reported no usage (a stream without its usage chunk) has unknown
 * tokens: the task list and the task detail keep the token sums of the calls that reported
 * theirs and count the others in `callsWithoutUsage`, never showing their tokens as a known 0.
 */
let collector: TestCollector
const at = (minute: number) => new Date(Date.UTC(2026, 10, 22, 9, minute))
const FROM = '2026-11-22T09:00:00Z'
const TO = '2026-11-22T10:00:00Z'
/** gpt-4o-mini, 1000 in / 10 out: 1000 × 0.15e-6 + 10 × 0.6e-6. */
const CALL_USD = 0.000156

const call = (taskId: string, spanId: string, minute: number) =>
  llmCallSpan({
    taskId,
    taskName: 'answer',
    spanId,
    at: at(minute),
    model: 'gpt-4o-mini',
    input: 1000,
    output: 10,
    requestHash: `${spanId.slice(-4)}00000000000c`,
  })

const SPANS: JsonSpanInput[] = [
  // A call with usage and a stream without.
  outcomeRootSpan('w-mixed', 'answer', at(1), 'success'),
  call('w-mixed', '00000000000006c1', 2),
  withoutUsage(call('w-mixed', '00000000000006c2', 3)),
  // Only streams without usage: unknown tokens and unknown spend.
  outcomeRootSpan('w-unknown', 'answer', at(10), 'success'),
  withoutUsage(call('w-unknown', '00000000000007c1', 11)),
  withoutUsage(call('w-unknown', '00000000000007c2', 12)),
  // Every call reported its usage.
  outcomeRootSpan('w-known', 'answer', at(20), 'success'),
  call('w-known', '00000000000008c1', 21),
]

const EXPECTED = {
  'w-known': {
    costUsd: CALL_USD,
    unpricedCalls: 0,
    llmCalls: 1,
    inputTokens: 1000,
    outputTokens: 10,
    callsWithoutUsage: 0,
  },
  'w-unknown': {
    costUsd: null,
    unpricedCalls: 2,
    llmCalls: 2,
    inputTokens: 0,
    outputTokens: 0,
    callsWithoutUsage: 2,
  },
  'w-mixed': {
    costUsd: CALL_USD,
    unpricedCalls: 1,
    llmCalls: 2,
    inputTokens: 1000,
    outputTokens: 10,
    callsWithoutUsage: 1,
  },
}

async function expectTasks(): Promise<void> {
  const list = await collector.api<{ tasks: Array<Record<string, unknown>> }>(
    `/api/v1/tasks?from=${FROM}&to=${TO}`,
  )
  expect(list.status).toBe(200)
  expect(
    list.body.tasks.map((task) => ({
      taskId: task.taskId,
      costUsd: task.costUsd,
      unpricedCalls: task.unpricedCalls,
      llmCalls: task.llmCalls,
      inputTokens: task.inputTokens,
      outputTokens: task.outputTokens,
      callsWithoutUsage: task.callsWithoutUsage,
    })),
  ).toEqual(Object.entries(EXPECTED).map(([taskId, figures]) => ({ taskId, ...figures })))
  // A page of one task counts only its own calls.
  const one = await collector.api<{ tasks: Array<Record<string, unknown>> }>(
    `/api/v1/tasks?from=${FROM}&to=${TO}&limit=1&name=answer`,
  )
  expect(one.body.tasks).toMatchObject([{ taskId: 'w-known', callsWithoutUsage: 0 }])
  for (const [taskId, figures] of Object.entries(EXPECTED)) {
    const detail = await collector.api<{ task: Record<string, unknown> }>(
      `/api/v1/tasks/${taskId}?from=${FROM}&to=${TO}`,
    )
    expect(detail.status).toBe(200)
    expect(detail.body.task, taskId).toMatchObject(figures)
  }
}

beforeAll(async () => {
  collector = await createTestCollector({ env: { AGENTMETER_ROLLUP_INTERVAL_MS: '0' } })
  expect(await collector.sendTraces(createOtlpJsonBody(SPANS))).toBe(200)
})

afterAll(async () => {
  await collector?.close()
})

describe('calls without usage in task token sums', { timeout: 180_000 }, () => {
  it('should count them beside the known token sums, from the spans', async () => {
    await expectTasks()
  })

  it('should count them the same through the rollups and the task totals', async () => {
    await collector.rollups.refreshNow({ settleMillis: 0 })
    await expectTasks()
  })
})
