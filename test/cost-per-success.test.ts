import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { planTaskRows } from '../apps/collector/src/store/queries/task-rows'
import { parseTimeRange } from '../apps/collector/src/store/queries/time-range'
import { planRange } from '../apps/collector/src/store/rollups/plan'
import { llmCallSpan } from './support/hotspot-spans'
import { createOtlpJsonBody, type JsonSpanInput } from './support/otlp-json'
import { outcomeRootSpan } from './support/recommendation-spans'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Cost per task and cost per successful task over the same tasks: those with a known spend.
 * Two priced tasks (a success and a failure) and two successes whose every call is unpriced:
 * counting those two successes (but not the tasks) put one success at a third of the spend,
 * below one task's half. Through the spans and the rollups, in the overview and the cost rows.
 */
let collector: TestCollector
const at = (minute: number) => new Date(Date.UTC(2026, 10, 21, 9, minute))
const FROM = '2026-11-21T09:00:00Z'
const TO = '2026-11-21T10:00:00Z'
const UNKNOWN = 'totally-unknown-model'
const PRICED = 'gpt-4o-mini'
/** gpt-4o-mini, 1000 in / 10 out: 1000 × 0.15e-6 + 10 × 0.6e-6. */
const CALL_USD = 0.000156
const TWO_CALLS_USD = 0.000312

const task = (
  taskId: string,
  minute: number,
  outcome: 'success' | 'failure',
  model: string,
  spanId: string,
) => [
  outcomeRootSpan(taskId, 'triage', at(minute), outcome),
  llmCallSpan({
    taskId,
    taskName: 'triage',
    spanId,
    at: at(minute + 1),
    model,
    input: 1000,
    output: 10,
    requestHash: `${spanId.slice(-4)}00000000000b`,
  }),
]

const SPANS: JsonSpanInput[] = [
  ...task('c-paid-win', 1, 'success', PRICED, '00000000000004b1'),
  ...task('c-paid-loss', 10, 'failure', PRICED, '00000000000004b2'),
  ...task('c-free-win-1', 20, 'success', UNKNOWN, '00000000000004b3'),
  ...task('c-free-win-2', 30, 'success', UNKNOWN, '00000000000004b4'),
]

/** The four tasks as one row: the known spend of two tasks, one of them a success. */
const ALL_FOUR = {
  costUsd: TWO_CALLS_USD,
  unpricedCalls: 2,
  tasks: 4,
  successfulTasks: 3,
  failedTasks: 1,
  unpricedOnlyTasks: 2,
  unpricedOnlySuccessfulTasks: 2,
  p50TaskCostUsd: CALL_USD,
  p95TaskCostUsd: CALL_USD,
  costPerSuccessfulTaskUsd: TWO_CALLS_USD,
}

async function expectFigures(): Promise<void> {
  const overview = await collector.api<Record<string, unknown>>(
    `/api/v1/overview?from=${FROM}&to=${TO}`,
  )
  expect(overview.status).toBe(200)
  expect(overview.body).toMatchObject({
    costUsd: TWO_CALLS_USD,
    tasks: 4,
    successfulTasks: 3,
    unpricedOnlyTasks: 2,
    unpricedOnlySuccessfulTasks: 2,
    costPerTaskUsd: CALL_USD,
    costPerSuccessfulTaskUsd: TWO_CALLS_USD,
  })
  const costs = async (groupBy: string) => {
    const answer = await collector.api<{ rows: unknown[] }>(
      `/api/v1/costs?from=${FROM}&to=${TO}&groupBy=${groupBy}`,
    )
    expect(answer.status).toBe(200)
    return answer.body.rows
  }
  expect(await costs('task_name')).toEqual([{ key: 'triage', ...ALL_FOUR }])
  expect(await costs('day')).toEqual([{ key: '2026-11-21', ...ALL_FOUR }])
  expect(await costs('model')).toEqual([
    {
      key: PRICED,
      costUsd: TWO_CALLS_USD,
      unpricedCalls: 0,
      tasks: 2,
      successfulTasks: 1,
      failedTasks: 1,
      unpricedOnlyTasks: 0,
      unpricedOnlySuccessfulTasks: 0,
      p50TaskCostUsd: CALL_USD,
      p95TaskCostUsd: CALL_USD,
      costPerSuccessfulTaskUsd: TWO_CALLS_USD,
    },
    {
      key: UNKNOWN,
      costUsd: null,
      unpricedCalls: 2,
      tasks: 2,
      successfulTasks: 2,
      failedTasks: 0,
      unpricedOnlyTasks: 2,
      unpricedOnlySuccessfulTasks: 2,
      p50TaskCostUsd: null,
      p95TaskCostUsd: null,
      costPerSuccessfulTaskUsd: null,
    },
  ])
}

beforeAll(async () => {
  collector = await createTestCollector({ env: { AGENTMETER_ROLLUP_INTERVAL_MS: '0' } })
  expect(await collector.sendTraces(createOtlpJsonBody(SPANS))).toBe(200)
})

afterAll(async () => {
  await collector?.close()
})

describe('cost per successful task beside cost per task', { timeout: 180_000 }, () => {
  it('should count the same tasks in both, from the spans', async () => {
    await expectFigures()
  })

  it('should count the same tasks in both, through the rollups and the task totals', async () => {
    await collector.rollups.refreshNow({ settleMillis: 0 })
    const projectId = (await collector.projects.findProjectByName('test-project'))!.id
    const plan = await planRange(collector.client, projectId, parseTimeRange(FROM, TO))
    expect(await planTaskRows(collector.client, plan)).toMatchObject({
      useTotals: true,
      fallback: [],
    })
    await expectFigures()
  })
})
