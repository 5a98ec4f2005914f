import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { planRange } from '../apps/collector/src/store/rollups/plan'
import { parseTimeRange } from '../apps/collector/src/store/queries/time-range'
import { llmCallSpan, taskRootSpan, toolCallSpan } from './support/hotspot-spans'
import { type JsonSpanInput, postSpans } from './support/otlp-json'
import { priceAndReprice } from './support/reprice'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * The dashboard rollups against the spans they summarize. Three tasks over four whole hours
 * of 2026-11-10 (one task crosses an hour boundary), with a duplicate call, a repeated tool
 * call and an unpriced model, read through every dashboard endpoint: from the spans alone
 * (nothing refreshed yet), from the rollups, after the same spans are delivered again in other
 * batches, and after that second delivery is refreshed. Every answer must be the same.
 */
let collector: TestCollector
let projectId: string
const FROM = '2026-11-10T00:00:00Z'
const TO = '2026-11-10T06:00:00Z'
const RANGE = `from=${FROM}&to=${TO}`
const at = (hour: number, minute: number, second = 0) =>
  new Date(Date.UTC(2026, 10, 10, hour, minute, second))

function workload(): JsonSpanInput[] {
  const call = (taskId: string, name: string, spanId: string, when: Date, model = 'gpt-4o') =>
    llmCallSpan({
      taskId,
      taskName: name,
      step: 'answer',
      spanId,
      at: when,
      model,
      input: 1200,
      output: 300,
      requestHash: `${spanId.slice(-4)}00000000000a`,
      responseHash: `${spanId.slice(-4)}00000000000b`,
      temperature: 0,
    })
  const duplicate = (spanId: string, when: Date) => ({
    ...call('t-1', 'triage', spanId, when),
    attributes: call('t-1', 'triage', '0000000000000011', when).attributes,
  })
  const tool = (taskId: string, name: string, spanId: string, when: Date) =>
    toolCallSpan({
      taskId,
      taskName: name,
      spanId,
      at: when,
      tool: 'search',
      argsHash: '00000000000000aa',
      resultHash: '00000000000000bb',
      resultTokens: 500,
    })
  return [
    taskRootSpan('t-1', 'triage', at(1, 10)),
    call('t-1', 'triage', '0000000000000011', at(1, 11)),
    duplicate('0000000000000012', at(1, 12)),
    tool('t-1', 'triage', '0000000000000013', at(1, 13)),
    tool('t-1', 'triage', '0000000000000014', at(1, 14)),
    call('t-1', 'triage', '0000000000000015', at(1, 15)),
    // Crosses from 02:59 into 03:00 and 04:00: one task in three hourly rollups.
    taskRootSpan('t-2', 'report', at(2, 59)),
    call('t-2', 'report', '0000000000000021', at(2, 59, 30), 'gpt-4o-mini'),
    call('t-2', 'report', '0000000000000022', at(3, 30)),
    call('t-2', 'report', '0000000000000023', at(4, 5), 'not-a-known-model-x'),
    taskRootSpan('t-3', 'report', at(4, 20)),
    call('t-3', 'report', '0000000000000031', at(4, 21), 'not-a-known-model-x'),
  ]
}

const ENDPOINTS = [
  `/api/v1/costs?${RANGE}&groupBy=day`,
  `/api/v1/costs?${RANGE}&groupBy=hour`,
  `/api/v1/costs?${RANGE}&groupBy=task_name`,
  `/api/v1/costs?${RANGE}&groupBy=model`,
  `/api/v1/costs?${RANGE}&groupBy=provider&split=model`,
  `/api/v1/costs?${RANGE}&groupBy=day&split=task_name`,
  `/api/v1/costs?${RANGE}&groupBy=model&split=task_name&name=report`,
  `/api/v1/tasks?${RANGE}`,
  `/api/v1/tasks/t-1?${RANGE}`,
  `/api/v1/tasks/t-2?${RANGE}`,
  `/api/v1/tasks/t-3?${RANGE}`,
  `/api/v1/hotspots?${RANGE}`,
  // Ranges with partial first and last hours mix rollups and spans.
  `/api/v1/costs?from=2026-11-10T01:12:30Z&to=2026-11-10T04:10:00Z&groupBy=task_name`,
  `/api/v1/tasks?from=2026-11-10T02:59:45Z&to=2026-11-10T04:21:00Z`,
]

/** One OTLP/JSON request of these spans, acknowledged. */
const post = (spans: JsonSpanInput[]) =>
  postSpans(collector.url, collector.apiKey, spans, Number.POSITIVE_INFINITY)

async function answers(): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {}
  for (const path of ENDPOINTS) {
    const { status, body } = await collector.api(path)
    expect(status, path).toBe(200)
    out[path] = body
  }
  return out
}

async function currentHours(): Promise<number> {
  const plan = await planRange(collector.client, projectId, parseTimeRange(FROM, TO))
  return plan.freshHours.length
}

let fromSpans: Record<string, unknown>

beforeAll(async () => {
  collector = await createTestCollector({ env: { AGENTMETER_ROLLUP_INTERVAL_MS: '0' } })
  projectId = (await collector.projects.findProjectByName('test-project'))!.id
  await post(workload())
  fromSpans = await answers()
})

afterAll(async () => {
  await collector?.close()
})

describe('dashboard rollups', () => {
  it('should read from the spans while no hour is refreshed, with exact figures', async () => {
    expect(await currentHours()).toBe(0)
    const byName = fromSpans[`/api/v1/costs?${RANGE}&groupBy=task_name`] as {
      rows: Array<{ key: string; costUsd: number; tasks: number }>
    }
    // triage: 3 gpt-4o calls at 1200 in / 300 out ($2.50 / $10 per million) = 3 × 0.006.
    // report: t-2 one gpt-4o (0.006) + one mini (0.00036); t-3 only unpriced, so no spend.
    expect(byName.rows.map((row) => [row.key, row.tasks, row.costUsd])).toEqual([
      ['report', 2, 0.00636],
      ['triage', 1, 0.018],
    ])
    const tasks = fromSpans[`/api/v1/tasks?${RANGE}`] as {
      tasks: Array<{ taskId: string; llmCalls: number; unpricedCalls: number }>
    }
    expect(tasks.tasks.map((t) => [t.taskId, t.llmCalls, t.unpricedCalls])).toEqual([
      ['t-3', 1, 1],
      ['t-2', 3, 1],
      ['t-1', 3, 0],
    ])
  })

  it('should give the same answers from the rollups once refreshed', async () => {
    const refreshed = await collector.rollups.refreshNow({ settleMillis: 0 })
    expect(refreshed).toEqual({ hours: 4, remaining: 0 })
    // Hours 01, 02, 03 and 04 have spans and are whole inside the range.
    expect(await currentHours()).toBe(4)
    expect(await answers()).toEqual(fromSpans)
  })

  it('should count a span delivered twice once, before and after the refresh', async () => {
    const spans = workload()
    // Other batches than the first delivery: the last spans first, then the rest.
    await post(spans.slice(7))
    await post(spans.slice(0, 7))
    expect(await currentHours()).toBe(0)
    expect(await answers()).toEqual(fromSpans)

    expect((await collector.rollups.refreshNow({ settleMillis: 0 })).hours).toBe(4)
    expect(await currentHours()).toBe(4)
    expect(await answers()).toEqual(fromSpans)
    const rows = await collector.client.query({
      query: `SELECT task_id, toString(sum(p_llm_calls)) AS calls FROM task_hours
        WHERE (hour, refresh_id) IN (SELECT hour, max(refresh_id) FROM rollup_hours GROUP BY hour)
        GROUP BY task_id ORDER BY task_id`,
      format: 'JSONEachRow',
    })
    expect(await rows.json()).toEqual([
      { task_id: 't-1', calls: '3' },
      { task_id: 't-2', calls: '3' },
      { task_id: 't-3', calls: '1' },
    ])
  })

  it('should leave an hour to the spans until it has settled', async () => {
    await post(workload().slice(0, 2))
    expect(await collector.rollups.refreshNow({ settleMillis: 3_600_000 })).toEqual({
      hours: 0,
      remaining: 0,
    })
    // Hour 01 got a delivery and is stale; the other three stay current.
    expect(await currentHours()).toBe(3)
    expect(await answers()).toEqual(fromSpans)
  })

  it('should show a reprice at once and carry it into the rollups when refreshed', async () => {
    expect(
      await priceAndReprice(collector, 'not-a-known-model-x', { from: FROM, to: TO }),
    ).toMatchObject({ changed: 2 })
    // Hour 04 holds the repriced calls and hour 01 the unsettled delivery: both read from spans.
    expect(await currentHours()).toBe(2)
    const repriced = await answers()
    const byName = repriced[`/api/v1/costs?${RANGE}&groupBy=task_name`] as {
      rows: Array<{ key: string; costUsd: number; tasks: number }>
    }
    // Each unknown-model call is now 1200 × $1 + 300 × $2 per million = 0.0018.
    expect(byName.rows.map((row) => [row.key, row.tasks, row.costUsd])).toEqual([
      ['report', 2, 0.00996],
      ['triage', 1, 0.018],
    ])

    expect((await collector.rollups.refreshNow({ settleMillis: 0 })).hours).toBe(2)
    expect(await currentHours()).toBe(4)
    expect(await answers()).toEqual(repriced)
  })
})
