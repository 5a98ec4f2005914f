import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  queryCosts,
  type CostGroup,
  type CostRow,
  type CostSplit,
} from '../apps/collector/src/store/queries/costs'
import { queryOverview } from '../apps/collector/src/store/queries/explore/overview'
import { planTaskRows } from '../apps/collector/src/store/queries/task-rows'
import { parseTimeRange } from '../apps/collector/src/store/queries/time-range'
import { planRange } from '../apps/collector/src/store/rollups/plan'
import { llmCallSpan } from './support/hotspot-spans'
import { createOtlpJsonBody, type JsonSpanInput } from './support/otlp-json'
import { outcomeRootSpan } from './support/recommendation-spans'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * A model nobody prices beside a priced one, in one task and in tasks of their own: every
 * aggregate keeps the priced sum, says how many calls it leaves out, and a group whose calls
 * are all unpriced has an unknown spend (null), never $0. Through the spans and the rollups.
 */
let collector: TestCollector
let projectId: string
const at = (minute: number) => new Date(Date.UTC(2026, 10, 20, 9, minute))
const FROM = '2026-11-20T09:00:00Z'
const TO = '2026-11-20T10:00:00Z'
const RANGE = parseTimeRange(FROM, TO)
const UNKNOWN = 'totally-unknown-model'
const PRICED = 'gpt-4o-mini'
/** gpt-4o-mini, 1000 in / 10 out: 1000 × 0.15e-6 + 10 × 0.6e-6. */
const CALL_USD = 0.000156
const TWO_CALLS_USD = 0.000312

const call = (taskId: string, spanId: string, minute: number, model: string) =>
  llmCallSpan({
    taskId,
    taskName: taskId.slice(2),
    spanId,
    at: at(minute),
    model,
    input: 1000,
    output: 10,
    requestHash: `${spanId.slice(-4)}00000000000a`,
  })

const SPANS: JsonSpanInput[] = [
  // One task, both models.
  outcomeRootSpan('u-mixed', 'mixed', at(1), 'success'),
  call('u-mixed', '00000000000001a1', 2, UNKNOWN),
  call('u-mixed', '00000000000001a2', 3, PRICED),
  // Tasks of their own: priced only, unpriced only (a failure).
  outcomeRootSpan('u-priced-only', 'priced-only', at(10), 'success'),
  call('u-priced-only', '00000000000002a1', 11, PRICED),
  outcomeRootSpan('u-unknown-only', 'unknown-only', at(20), 'failure'),
  call('u-unknown-only', '00000000000003a1', 21, UNKNOWN),
]

type Row = Omit<CostRow, 'key' | 'series'>
const row = (
  costUsd: number | null,
  unpricedCalls: number,
  tasks: number,
  successfulTasks: number,
  p: number | null,
  costPerSuccessfulTaskUsd: number | null,
  /** Tasks of the row none of whose calls in it is priced, and of them the successes. */
  unpricedOnlyTasks = 0,
  unpricedOnlySuccessfulTasks = 0,
): Row => ({
  costUsd,
  unpricedCalls,
  tasks,
  successfulTasks,
  failedTasks: tasks - successfulTasks,
  unpricedOnlyTasks,
  unpricedOnlySuccessfulTasks,
  p50TaskCostUsd: p,
  p95TaskCostUsd: p,
  costPerSuccessfulTaskUsd,
})
const UNKNOWN_GROUP = (tasks: number, successes: number, unpriced = tasks) =>
  row(null, unpriced, tasks, successes, null, null, tasks, successes)

/** Three tasks: two priced at one call each, the third (a failure) with no known spend. */
const WHOLE = row(TWO_CALLS_USD, 2, 3, 2, CALL_USD, TWO_CALLS_USD / 2, 1, 0)

const EXPECTED: Record<string, Array<[string, Row] | [string, string, Row]>> = {
  task_name: [
    ['mixed', row(CALL_USD, 1, 1, 1, CALL_USD, CALL_USD)],
    ['priced-only', row(CALL_USD, 0, 1, 1, CALL_USD, CALL_USD)],
    ['unknown-only', UNKNOWN_GROUP(1, 0)],
  ],
  // Span-level groups count their own calls: gpt-4o-mini's row has none unpriced, though the
  // mixed task beside it made an unknown call.
  model: [
    [PRICED, row(TWO_CALLS_USD, 0, 2, 2, CALL_USD, TWO_CALLS_USD / 2)],
    [UNKNOWN, UNKNOWN_GROUP(2, 1)],
  ],
  provider: [['openai', row(TWO_CALLS_USD, 2, 3, 2, CALL_USD, TWO_CALLS_USD / 2, 1, 0)]],
  day: [['2026-11-20', WHOLE]],
  hour: [['2026-11-20T09:00:00Z', WHOLE]],
  'task_name/model': [
    ['mixed', PRICED, row(CALL_USD, 0, 1, 1, CALL_USD, CALL_USD)],
    ['mixed', UNKNOWN, UNKNOWN_GROUP(1, 1)],
    ['priced-only', PRICED, row(CALL_USD, 0, 1, 1, CALL_USD, CALL_USD)],
    ['unknown-only', UNKNOWN, UNKNOWN_GROUP(1, 0)],
  ],
  // A time key with a span-level series (this read 500 from the spans before).
  'day/provider': [['2026-11-20', 'openai', WHOLE]],
  'hour/model': [
    ['2026-11-20T09:00:00Z', PRICED, row(TWO_CALLS_USD, 0, 2, 2, CALL_USD, TWO_CALLS_USD / 2)],
    ['2026-11-20T09:00:00Z', UNKNOWN, UNKNOWN_GROUP(2, 1)],
  ],
  'model/task_name': [
    [PRICED, 'mixed', row(CALL_USD, 0, 1, 1, CALL_USD, CALL_USD)],
    [PRICED, 'priced-only', row(CALL_USD, 0, 1, 1, CALL_USD, CALL_USD)],
    [UNKNOWN, 'mixed', UNKNOWN_GROUP(1, 1)],
    [UNKNOWN, 'unknown-only', UNKNOWN_GROUP(1, 0)],
  ],
}

const asRows = (expected: Array<[string, Row] | [string, string, Row]>) =>
  expected.map((entry) =>
    entry.length === 2
      ? { key: entry[0], ...entry[1] }
      : { key: entry[0], series: entry[1], ...entry[2] },
  )

async function expectCosts(
  costs: (groupBy: string, split?: string) => Promise<unknown[]>,
): Promise<void> {
  for (const [grouping, expected] of Object.entries(EXPECTED)) {
    const [groupBy, split] = grouping.split('/')
    expect(await costs(groupBy!, split), grouping).toEqual(asRows(expected))
  }
}

const viaHttp = async (groupBy: string, split?: string) => {
  const { status, body } = await collector.api<{ rows: unknown[] }>(
    `/api/v1/costs?from=${FROM}&to=${TO}&groupBy=${groupBy}${split ? `&split=${split}` : ''}`,
  )
  expect(status).toBe(200)
  return body.rows
}

const direct = (useRollups: boolean) => (groupBy: string, split?: string) =>
  queryCosts(collector.client, {
    projectId,
    range: RANGE,
    groupBy: groupBy as CostGroup,
    ...(split ? { split: split as CostSplit } : {}),
    useRollups,
  })

beforeAll(async () => {
  collector = await createTestCollector({ env: { AGENTMETER_ROLLUP_INTERVAL_MS: '0' } })
  projectId = (await collector.projects.findProjectByName('test-project'))!.id
  expect(await collector.sendTraces(createOtlpJsonBody(SPANS))).toBe(200)
})

afterAll(async () => {
  await collector?.close()
})

describe('aggregates over unpriced calls', { timeout: 180_000 }, () => {
  it('should keep priced sums, count unpriced calls and say null, never $0, from the spans', async () => {
    await expectCosts(viaHttp)
    await expectCosts(direct(false))
  })

  it('should say the same through the rollups and the task totals', async () => {
    await collector.rollups.refreshNow({ settleMillis: 0 })
    const rows = await planTaskRows(
      collector.client,
      await planRange(collector.client, projectId, RANGE),
    )
    expect(rows).toMatchObject({ useTotals: true, fallback: [] })
    await expectCosts(viaHttp)
    await expectCosts(direct(true))
    await expectCosts(direct(false))
  })

  it('should say it in the Explore overview', async () => {
    const { body } = await collector.api<Record<string, unknown>>(
      `/api/v1/overview?from=${FROM}&to=${TO}`,
    )
    expect(body).toMatchObject({
      costUsd: TWO_CALLS_USD,
      tasks: 3,
      successfulTasks: 2,
      unpricedOnlyTasks: 1,
      unpricedOnlySuccessfulTasks: 0,
      costPerTaskUsd: TWO_CALLS_USD / 2,
      costPerSuccessfulTaskUsd: TWO_CALLS_USD / 2,
      tasksPerDay: [
        {
          day: '2026-11-20',
          tasks: 3,
          successfulTasks: 2,
          costUsd: TWO_CALLS_USD,
          unpricedCalls: 2,
        },
      ],
      topTaskTypes: [
        { name: 'mixed', tasks: 1, costUsd: CALL_USD, unpricedCalls: 1 },
        { name: 'priced-only', tasks: 1, costUsd: CALL_USD, unpricedCalls: 0 },
        { name: 'unknown-only', tasks: 1, costUsd: null, unpricedCalls: 1 },
      ],
      // A model's own calls: the priced model has none unpriced.
      topModels: [
        { provider: 'openai', model: PRICED, calls: 2, costUsd: TWO_CALLS_USD, unpricedCalls: 0 },
        { provider: 'openai', model: UNKNOWN, calls: 2, costUsd: null, unpricedCalls: 2 },
      ],
      unpriced: { calls: 2, totalCalls: 4, share: 0.5 },
    })
    // Only the unpriced task: nothing in the range has a known spend.
    const only = await collector.api<Record<string, unknown>>(
      `/api/v1/overview?from=${FROM}&to=${TO}&name=unknown-only`,
    )
    expect(only.body).toMatchObject({
      costUsd: null,
      tasks: 1,
      successfulTasks: 0,
      unpricedOnlyTasks: 1,
      unpricedOnlySuccessfulTasks: 0,
      costPerTaskUsd: null,
      costPerSuccessfulTaskUsd: null,
      tasksPerDay: [
        { day: '2026-11-20', tasks: 1, successfulTasks: 0, costUsd: null, unpricedCalls: 1 },
      ],
      topTaskTypes: [{ name: 'unknown-only', tasks: 1, costUsd: null, unpricedCalls: 1 }],
      topModels: [
        { provider: 'openai', model: UNKNOWN, calls: 1, costUsd: null, unpricedCalls: 1 },
      ],
    })
  })

  it('should count the unpriced calls of today, the month to date and the forecast', async () => {
    const overview = (now: string, name?: string) =>
      queryOverview(collector.client, {
        projectId,
        range: RANGE,
        filters: name ? { name } : {},
        now: new Date(now),
      })
    // The same morning: today and the month are the range, no complete day for a forecast.
    expect(await overview('2026-11-20T09:30:00Z')).toMatchObject({
      todayUsd: TWO_CALLS_USD,
      todayUnpricedCalls: 2,
      monthToDateUsd: TWO_CALLS_USD,
      monthToDateUnpricedCalls: 2,
      forecast: { costUsd: null, daysMeasured: 0, unpricedCalls: 2 },
    })
    // The next day at noon: nothing today ($0 spent); the 20th was the project's first day, so
    // partial, and no complete day measures a run rate yet.
    expect(await overview('2026-11-21T12:00:00Z')).toMatchObject({
      todayUsd: 0,
      todayUnpricedCalls: 0,
      monthToDateUsd: TWO_CALLS_USD,
      monthToDateUnpricedCalls: 2,
      forecast: { costUsd: null, runRateUsdPerDay: null, daysMeasured: 0, unpricedCalls: 2 },
    })
    // A day later the 21st is a complete day of $0: the forecast is what is spent, and it still
    // says two calls of the month are unpriced.
    expect(await overview('2026-11-22T12:00:00Z')).toMatchObject({
      monthToDateUsd: TWO_CALLS_USD,
      monthToDateUnpricedCalls: 2,
      forecast: {
        costUsd: TWO_CALLS_USD,
        runRateUsdPerDay: 0,
        daysMeasured: 1,
        unpricedCalls: 2,
      },
    })
    // Only the unpriced task: the month's spend and the forecast are unknown, not $0.
    expect(await overview('2026-11-22T12:00:00Z', 'unknown-only')).toMatchObject({
      todayUsd: 0,
      todayUnpricedCalls: 0,
      monthToDateUsd: null,
      monthToDateUnpricedCalls: 1,
      forecast: { costUsd: null, lowUsd: null, highUsd: null, daysMeasured: 1, unpricedCalls: 1 },
    })
    expect(await overview('2026-11-20T09:30:00Z', 'unknown-only')).toMatchObject({
      todayUsd: null,
      todayUnpricedCalls: 1,
    })
    // The route answers the same fields (its `now` is the clock's: no spans today).
    const { body } = await collector.api<Record<string, unknown>>(
      `/api/v1/overview?from=${FROM}&to=${TO}&name=unknown-only`,
    )
    expect(body).toMatchObject({ todayUnpricedCalls: 0, monthToDateUnpricedCalls: 0 })
    expect(body.forecast).toHaveProperty('unpricedCalls', 0)
  })

  it('should say it in the showback', async () => {
    const all = await collector.api<Record<string, unknown>>(
      `/api/v1/showback?from=${FROM}&to=${TO}&groupBy=environment`,
    )
    expect(all.body).toMatchObject({
      totalCostUsd: TWO_CALLS_USD,
      totalTasks: 3,
      rows: [{ key: '', costUsd: TWO_CALLS_USD, tasks: 3, unpricedCalls: 2, share: 1 }],
    })
    const only = await collector.api<Record<string, unknown>>(
      `/api/v1/showback?from=${FROM}&to=${TO}&groupBy=environment&name=unknown-only`,
    )
    expect(only.body).toMatchObject({
      totalCostUsd: null,
      totalTasks: 1,
      rows: [{ key: '', costUsd: null, tasks: 1, unpricedCalls: 1, share: null }],
    })
  })

  it('should leave tasks of unknown spend out of the what-if, not count them as $0', async () => {
    // The same three tasks (other ids) an hour ago: the what-if reads the last `days` from now.
    const recent = new Date(Date.now() - 3_600_000)
    const shifted = SPANS.map((span) => {
      const offset = BigInt(recent.getTime() - at(0).getTime()) * 1_000_000n
      const taskId = String(span.attributes['agentmeter.task.id']).replace('u-', 'r-')
      return {
        ...span,
        attributes: { ...span.attributes, 'agentmeter.task.id': taskId },
        traceId: Buffer.from(taskId).toString('hex').padEnd(32, '0').slice(0, 32),
        startTimeUnixNano: String(BigInt(span.startTimeUnixNano) + offset),
        endTimeUnixNano: String(BigInt(span.endTimeUnixNano) + offset),
      }
    })
    expect(await collector.sendTraces(createOtlpJsonBody(shifted))).toBe(200)
    const response = await fetch(`${collector.url}/api/v1/recommendations/what-if`, {
      method: 'POST',
      headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ accepted: [], days: 1 }),
    })
    expect(response.status).toBe(200)
    const body = (await response.json()) as Record<string, unknown>
    const two = {
      totalCostUsd: TWO_CALLS_USD,
      tasks: 2,
      costPerTaskUsd: CALL_USD,
      p50TaskCostUsd: CALL_USD,
      p95TaskCostUsd: CALL_USD,
    }
    expect(body).toMatchObject({
      current: two,
      projected: two,
      unpricedCalls: 2,
      unpricedOnlyTasks: 1,
    })
    const perName = (name: string, unpricedCalls: number) => ({
      taskName: name,
      tasks: 1,
      currentCostPerTaskUsd: CALL_USD,
      projectedCostPerTaskUsd: CALL_USD,
      currentTotalUsd: CALL_USD,
      projectedTotalUsd: CALL_USD,
      unpricedCalls,
    })
    expect(body.byTaskName).toEqual([perName('mixed', 1), perName('priced-only', 0)])
  })
})
