import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { planRange } from '../apps/collector/src/store/rollups/plan'
import {
  TASK_MODEL_PARTIAL_SQL,
  TASK_PARTIAL_COLUMNS,
  TASK_PARTIAL_SQL,
} from '../apps/collector/src/store/rollups/task-partials'
import { queryCosts, type CostQuery } from '../apps/collector/src/store/queries/costs'
import { getTaskDetail } from '../apps/collector/src/store/queries/task-detail'
import { planTaskRows } from '../apps/collector/src/store/queries/task-rows'
import { listTasks } from '../apps/collector/src/store/queries/tasks'
import { parseTimeRange, type TimeRange } from '../apps/collector/src/store/queries/time-range'
import { llmCallSpan, toolCallSpan } from './support/hotspot-spans'
import { type JsonSpanInput, postSpans } from './support/otlp-json'
import { outcomeRootSpan } from './support/recommendation-spans'
import { priceAndReprice } from './support/reprice'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * The per-task totals against the spans they summarize: every cost view (each grouping and
 * split, with and without Explore filters), the task list and every task detail must equal the
 * spans-only answer (`useRollups: false`) after a refresh, after the same spans come again in
 * other batches, after late spans land in settled hours (one moves a task's first hour
 * earlier, one gives a task a new hour), after a reprice, and with an hour refreshed by a
 * collector that wrote no totals. The checks also prove which path answered: with every hour
 * current no task falls back to its parts, and a task cut by the range does.
 */
let collector: TestCollector
let projectId: string
const at = (hour: number, minute: number) => new Date(Date.UTC(2026, 10, 12, hour, minute))
const range = (from: string, to: string) => parseTimeRange(from, to)
const ALL = range('2026-11-12T00:00:00Z', '2026-11-12T06:00:00Z')
/** a-5 started at 00:40: only its marker at 05:00 is in this range. */
const CUT = range('2026-11-12T01:00:00Z', '2026-11-12T06:00:00Z')
/** Partial first and last hours: a-5's first span and a-4 are read from the spans. */
const MID = range('2026-11-12T00:30:00Z', '2026-11-12T04:30:00Z')
const RANGES = [ALL, CUT, MID]

const call = (taskId: string, name: string, spanId: string, when: Date, model = 'gpt-4o') =>
  llmCallSpan({
    taskId,
    taskName: name,
    step: 'answer',
    spanId,
    at: when,
    model,
    provider: model === 'not-a-known-model-x' ? 'anthropic' : 'openai',
    input: 1200,
    output: 300,
    requestHash: `${spanId.slice(-4)}00000000000a`,
  })

function workload(): JsonSpanInput[] {
  return [
    outcomeRootSpan('a-1', 'triage', at(1, 5), 'success'),
    call('a-1', 'triage', '00000000000000a1', at(1, 6)),
    call('a-1', 'triage', '00000000000000a2', at(1, 7)),
    outcomeRootSpan('a-2', 'triage', at(1, 30), 'failure'),
    call('a-2', 'triage', '00000000000000b1', at(1, 31), 'gpt-4o-mini'),
    toolCallSpan({
      taskId: 'a-2',
      taskName: 'triage',
      spanId: '00000000000000b2',
      at: at(1, 32),
      tool: 'search',
      argsHash: '00000000000000aa',
      resultHash: '00000000000000bb',
      resultTokens: 10,
    }),
    // Across 02:00 and 03:00, one call of an unpriced model.
    outcomeRootSpan('a-3', 'report', at(2, 50), 'success'),
    call('a-3', 'report', '00000000000000c1', at(2, 55)),
    call('a-3', 'report', '00000000000000c2', at(3, 10), 'not-a-known-model-x'),
    // Only unpriced calls: its spend is unknown, not $0.
    outcomeRootSpan('a-4', 'report', at(4, 10), 'failure'),
    call('a-4', 'report', '00000000000000d1', at(4, 11), 'not-a-known-model-x'),
    // Two hours apart: 00:40 and 05:20.
    outcomeRootSpan('a-5', 'triage', at(0, 40), 'success'),
    call('a-5', 'triage', '00000000000000e1', at(5, 20)),
  ]
}

/** One OTLP/JSON request of these spans, acknowledged. */
const post = (spans: JsonSpanInput[]) =>
  postSpans(collector.url, collector.apiKey, spans, Number.POSITIVE_INFINITY)

const COST_QUERIES: Array<Omit<CostQuery, 'projectId' | 'range'>> = [
  { groupBy: 'day' },
  { groupBy: 'hour' },
  { groupBy: 'task_name' },
  { groupBy: 'model' },
  { groupBy: 'provider' },
  { groupBy: 'provider', split: 'model' },
  { groupBy: 'model', split: 'provider' },
  { groupBy: 'model', split: 'task_name' },
  { groupBy: 'task_name', split: 'provider' },
  { groupBy: 'day', split: 'task_name' },
  { groupBy: 'model', name: 'report' },
  { groupBy: 'day', filters: { model: 'gpt-4o' } },
  { groupBy: 'model', filters: { provider: 'anthropic', name: 'report' } },
  { groupBy: 'task_name', filters: { step: 'answer' } },
]

/** Every view over a range, through the totals or (`useRollups: false`) the spans alone. */
async function views(timeRange: TimeRange, useRollups: boolean): Promise<unknown> {
  const base = { projectId, range: timeRange, useRollups }
  const costs = []
  for (const query of COST_QUERIES)
    costs.push(await queryCosts(collector.client, { ...base, ...query }))
  return {
    costs,
    list: await listTasks(collector.client, { ...base, limit: 100 }),
    firstTwo: await listTasks(collector.client, { ...base, limit: 2 }),
    named: await listTasks(collector.client, { ...base, limit: 100, name: 'report' }),
    filtered: await listTasks(collector.client, {
      ...base,
      limit: 100,
      filters: { model: 'gpt-4o-mini' },
    }),
  }
}

async function details(timeRange: TimeRange): Promise<unknown[]> {
  const out = []
  for (const taskId of ['a-1', 'a-2', 'a-3', 'a-4', 'a-5', 'a-404']) {
    out.push(await getTaskDetail(collector.client, { projectId, taskId, range: timeRange }))
  }
  return out
}

/** The spans-only answers and the task details read before anything is refreshed. */
async function expected(): Promise<{ views: unknown[]; details: unknown[] }> {
  const result = { views: [] as unknown[], details: [] as unknown[] }
  for (const timeRange of RANGES) {
    result.views.push(await views(timeRange, false))
    result.details.push(await details(timeRange))
  }
  return result
}

async function expectSameAnswers(want: { views: unknown[]; details: unknown[] }): Promise<void> {
  for (const [i, timeRange] of RANGES.entries()) {
    expect(await views(timeRange, true), `range ${i}`).toEqual(want.views[i])
    expect(await details(timeRange), `details ${i}`).toEqual(want.details[i])
  }
}

async function fallbackOf(timeRange: TimeRange): Promise<string[]> {
  const rows = await planTaskRows(
    collector.client,
    await planRange(collector.client, projectId, timeRange),
  )
  expect(rows.useTotals).toBe(true)
  return [...rows.fallback].sort()
}

async function refresh(): Promise<void> {
  await collector.rollups.refreshNow({ settleMillis: 0 })
}

beforeAll(async () => {
  collector = await createTestCollector({ env: { AGENTMETER_ROLLUP_INTERVAL_MS: '0' } })
  projectId = (await collector.projects.findProjectByName('test-project'))!.id
  await post(workload())
})

afterAll(async () => {
  await collector?.close()
})

// Dozens of queries per check on an embedded engine shared with other suites.
describe('task totals', { timeout: 300_000 }, () => {
  let want: { views: unknown[]; details: unknown[] }

  it('should answer every view from one row per task, with the spans-only figures', async () => {
    want = await expected()
    const byName = (want.views[0] as { costs: unknown[][] }).costs[2] as Array<{
      key: string
      costUsd: number
      tasks: number
      successfulTasks: number
    }>
    // triage: a-1 two gpt-4o calls (2 × 0.006), a-2 one mini call (0.00036), a-5 one gpt-4o.
    // report: a-3 one gpt-4o call and an unpriced one, a-4 only unpriced (no spend).
    expect(byName.map((row) => [row.key, row.tasks, row.successfulTasks, row.costUsd])).toEqual([
      ['report', 2, 1, 0.006],
      ['triage', 3, 2, 0.01836],
    ])
    await refresh()
    expect(await fallbackOf(ALL)).toEqual([])
    expect(await fallbackOf(CUT)).toEqual(['a-5'])
    expect(await fallbackOf(MID)).toEqual(['a-4', 'a-5'])
    await expectSameAnswers(want)

    const rows = await collector.client.query({
      query: `SELECT task_id, toString(hour) AS hour_text, is_first, toString(cost) AS cost,
          toString(llm_calls) AS calls, arraySort(model_names) AS model_names
        FROM task_totals FINAL WHERE project_id = {projectId:String} ORDER BY task_id, hour`,
      query_params: { projectId },
      format: 'JSONEachRow',
    })
    expect(await rows.json()).toEqual([
      row('a-1', '01', 1, '0.012', '2', ['gpt-4o']),
      row('a-2', '01', 1, '0.00036', '1', ['gpt-4o-mini']),
      row('a-3', '02', 1, '0.006', '2', ['gpt-4o', 'not-a-known-model-x']),
      row('a-3', '03', 0, '0.006', '2', ['gpt-4o', 'not-a-known-model-x']),
      row('a-4', '04', 1, null, '1', ['not-a-known-model-x']),
      row('a-5', '00', 1, '0.006', '1', ['gpt-4o']),
      row('a-5', '05', 0, '0.006', '1', ['gpt-4o']),
    ])
  })

  it('should count spans delivered again in other batches once', async () => {
    const spans = workload()
    await post(spans.slice(6))
    await post(spans.slice(0, 6))
    await expectSameAnswers(want)
    await refresh()
    expect(await fallbackOf(ALL)).toEqual([])
    await expectSameAnswers(want)
  })

  it('should take late spans into settled hours, a new first hour and a new hour', async () => {
    await post([
      call('a-3', 'report', '00000000000000c3', at(1, 50)),
      call('a-1', 'triage', '00000000000000a3', at(3, 40), 'gpt-4o-mini'),
    ])
    want = await expected()
    // Hours 01 and 03 got spans since their refresh: every task in them is read from its parts.
    expect(await fallbackOf(ALL)).toEqual(['a-1', 'a-2', 'a-3'])
    await expectSameAnswers(want)
    await refresh()
    expect(await fallbackOf(ALL)).toEqual([])
    await expectSameAnswers(want)
    const rows = await collector.client.query({
      query: `SELECT task_id, toString(hour) AS hour_text, is_first FROM task_totals FINAL
        WHERE project_id = {projectId:String} AND task_id IN ('a-1', 'a-3') ORDER BY task_id, hour`,
      query_params: { projectId },
      format: 'JSONEachRow',
    })
    // a-3's old first hour (02) now holds a marker, so its old totals row is gone.
    expect(await rows.json()).toEqual([
      { task_id: 'a-1', hour_text: '2026-11-12 01:00:00', is_first: 1 },
      { task_id: 'a-1', hour_text: '2026-11-12 03:00:00', is_first: 0 },
      { task_id: 'a-3', hour_text: '2026-11-12 01:00:00', is_first: 1 },
      { task_id: 'a-3', hour_text: '2026-11-12 02:00:00', is_first: 0 },
      { task_id: 'a-3', hour_text: '2026-11-12 03:00:00', is_first: 0 },
    ])
  })

  it('should show a reprice at once and after the refresh', async () => {
    expect(
      await priceAndReprice(collector, 'not-a-known-model-x', {
        from: '2026-11-12T00:00:00Z',
        to: '2026-11-12T06:00:00Z',
      }),
    ).toMatchObject({ changed: 2 })
    want = await expected()
    const byName = (want.views[0] as { costs: unknown[][] }).costs[2] as Array<{
      key: string
      costUsd: number
    }>
    // report: a-3 two gpt-4o calls (0.012) + 0.0018, a-4 0.0018.
    expect(byName.map((row) => [row.key, row.costUsd])).toEqual([
      ['report', 0.0156],
      ['triage', 0.01872],
    ])
    // Hours 03 and 04 hold repriced calls; a-1 has its late call in 03.
    expect(await fallbackOf(ALL)).toEqual(['a-1', 'a-3', 'a-4'])
    await expectSameAnswers(want)
    await refresh()
    expect(await fallbackOf(ALL)).toEqual([])
    await expectSameAnswers(want)
  })

  it('should read an hour refreshed without totals from its parts', async () => {
    // A new task in hour 01, then what a collector of an earlier version does: it writes the
    // hour's parts and marks it current, with no index and no totals.
    await post([
      outcomeRootSpan('a-6', 'report', at(1, 45), 'success'),
      call('a-6', 'report', '00000000000000f1', at(1, 46)),
    ])
    want = await expected()
    const params = { projectId, hour: '2026-11-12 01:00:00', rid: Date.now() * 1000 + 999 }
    const where = `project_id = {projectId:String}
      AND toStartOfHour(start_time) = {hour:DateTime('UTC')}`
    await collector.client.command({
      query: `INSERT INTO task_hours (project_id, hour, task_id, refresh_id,
          ${TASK_PARTIAL_COLUMNS.join(', ')})
        SELECT {projectId:String}, toStartOfHour(start_time) AS hour, task_id, {rid:UInt64},
          ${TASK_PARTIAL_SQL}
        FROM spans FINAL WHERE ${where} GROUP BY hour, task_id`,
      query_params: params,
    })
    await collector.client.command({
      query: `INSERT INTO task_model_hours (project_id, hour, task_id, provider, model, p_cost,
          refresh_id)
        SELECT {projectId:String}, toStartOfHour(start_time) AS hour, ${TASK_MODEL_PARTIAL_SQL},
          {rid:UInt64}
        FROM spans FINAL WHERE ${where} AND kind IN ('llm', 'embedding')
        GROUP BY hour, task_id, provider, model`,
      query_params: params,
    })
    await collector.client.command({
      query: `INSERT INTO rollup_hours (project_id, hour, refresh_id, delivered)
        SELECT project_id, hour, {rid:UInt64}, sum(rows) FROM span_deliveries
        WHERE project_id = {projectId:String} AND hour = {hour:DateTime('UTC')}
        GROUP BY project_id, hour`,
      query_params: params,
    })
    expect(await fallbackOf(ALL)).toEqual(['a-1', 'a-2', 'a-3', 'a-6'])
    await expectSameAnswers(want)
  })
})

function row(
  taskId: string,
  hour: string,
  isFirst: number,
  cost: string | null,
  calls: string,
  models: string[],
) {
  return {
    task_id: taskId,
    hour_text: `2026-11-12 ${hour}:00:00`,
    is_first: isFirst,
    cost,
    calls,
    model_names: models,
  }
}
