import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { planRange } from '../apps/collector/src/store/rollups/plan'
import { queryCosts, type CostQuery } from '../apps/collector/src/store/queries/costs'
import { planTaskRows, type TaskRowsPlan } from '../apps/collector/src/store/queries/task-rows'
import { listTasks } from '../apps/collector/src/store/queries/tasks'
import { parseTimeRange, type TimeRange } from '../apps/collector/src/store/queries/time-range'
import { llmCallSpan } from './support/hotspot-spans'
import { type JsonSpanInput, postSpans } from './support/otlp-json'
import { outcomeRootSpan } from './support/recommendation-spans'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * The shortcuts of the totals reads against the spans-only answer (`useRollups: false`):
 * - the fallback tasks' parts are combined without the spans when none of them has a span in
 *   a stretch read from the spans (a task cut by the range's end), and with them otherwise;
 * - a totals row's spend per model is taken as it is when its models are distinct, and summed
 *   per model when one model came from two providers;
 * - the task list's bound, found beside the fallback tasks, is too recent when the newest
 *   current row belongs to a fallback task, and the list is then read again without it.
 */
let collector: TestCollector
let projectId: string
const at = (hour: number, minute: number) => new Date(Date.UTC(2026, 10, 14, hour, minute))
const range = (from: string, to: string) => parseTimeRange(from, to)
const ALL = range('2026-11-14T00:00:00Z', '2026-11-14T06:00:00Z')
/** Whole hours; c-3 runs on past its end (03:10), so only its parts decide. */
const CUT_END = range('2026-11-14T00:00:00Z', '2026-11-14T03:00:00Z')
/** A partial first hour: c-1's spans there are read from the spans. */
const PARTIAL = range('2026-11-14T01:30:00Z', '2026-11-14T06:00:00Z')

const call = (taskId: string, spanId: string, when: Date, model: string, provider: string) =>
  llmCallSpan({
    taskId,
    taskName: 'triage',
    step: 'answer',
    spanId,
    at: when,
    model,
    provider,
    input: 1000 + Number.parseInt(spanId.slice(-2), 16),
    output: 200,
    requestHash: `${spanId.slice(-4)}00000000000a`,
  })

function workload(): JsonSpanInput[] {
  return [
    // One model from two providers, and a second model: summed per model, per provider.
    outcomeRootSpan('c-1', 'triage', at(1, 5), 'success'),
    call('c-1', '00000000000000a1', at(1, 6), 'gpt-4o', 'openai'),
    call('c-1', '00000000000000a2', at(1, 40), 'gpt-4o', 'azure'),
    call('c-1', '00000000000000a3', at(1, 41), 'gpt-4o-mini', 'openai'),
    // Distinct models: its spend per model is read as stored.
    outcomeRootSpan('c-2', 'triage', at(2, 10), 'failure'),
    call('c-2', '00000000000000b1', at(2, 11), 'gpt-4o-mini', 'openai'),
    call('c-2', '00000000000000b2', at(2, 12), 'gpt-4o', 'openai'),
    // From 02:50 into 03:10: cut by CUT_END.
    outcomeRootSpan('c-3', 'report', at(2, 50), 'success'),
    call('c-3', '00000000000000c1', at(2, 51), 'gpt-4o', 'openai'),
    call('c-3', '00000000000000c2', at(3, 10), 'gpt-4o', 'openai'),
    outcomeRootSpan('c-4', 'report', at(4, 30), 'success'),
    call('c-4', '00000000000000d1', at(4, 31), 'gpt-4o-mini', 'openai'),
  ]
}

const COST_QUERIES: Array<Omit<CostQuery, 'projectId' | 'range'>> = [
  { groupBy: 'day' },
  { groupBy: 'task_name' },
  { groupBy: 'model' },
  { groupBy: 'provider' },
  { groupBy: 'provider', split: 'model' },
  { groupBy: 'model', split: 'task_name' },
]

async function views(timeRange: TimeRange, useRollups: boolean): Promise<unknown> {
  const base = { projectId, range: timeRange, useRollups }
  const costs = []
  for (const query of COST_QUERIES) {
    costs.push(await queryCosts(collector.client, { ...base, ...query }))
  }
  const lists = []
  for (const limit of [1, 2, 100]) {
    lists.push(await listTasks(collector.client, { ...base, limit }))
  }
  return { costs, lists }
}

async function expectSameAsSpans(): Promise<void> {
  for (const [i, timeRange] of [ALL, CUT_END, PARTIAL].entries()) {
    expect(await views(timeRange, true), `range ${i}`).toEqual(await views(timeRange, false))
  }
}

async function taskRows(timeRange: TimeRange): Promise<TaskRowsPlan> {
  return planTaskRows(collector.client, await planRange(collector.client, projectId, timeRange))
}

/** One OTLP/JSON request of these spans, acknowledged. */
const post = (spans: JsonSpanInput[]) =>
  postSpans(collector.url, collector.apiKey, spans, Number.POSITIVE_INFINITY)

beforeAll(async () => {
  collector = await createTestCollector({ env: { AGENTMETER_ROLLUP_INTERVAL_MS: '0' } })
  projectId = (await collector.projects.findProjectByName('test-project'))!.id
  await post(workload())
  await collector.rollups.refreshNow({ settleMillis: 0 })
})

afterAll(async () => {
  await collector?.close()
})

describe('task totals read paths', { timeout: 300_000 }, () => {
  it('should combine the fallback tasks with or without the spans, as the spans give', async () => {
    const cut = await taskRows(CUT_END)
    expect([cut.useTotals, cut.fallback, cut.fallbackInSpans]).toEqual([true, ['c-3'], false])
    const partial = await taskRows(PARTIAL)
    expect([partial.useTotals, partial.fallback.sort(), partial.fallbackInSpans]).toEqual([
      true,
      ['c-1'],
      true,
    ])
    expect((await taskRows(ALL)).fallback).toEqual([])
    await expectSameAsSpans()
  })

  it('should sum a model that came from two providers once per task', async () => {
    const byModel = await queryCosts(collector.client, { projectId, range: ALL, groupBy: 'model' })
    // gpt-4o: c-1 (two calls, one per provider), c-2, c-3 and no other: three tasks, not four.
    expect(byModel.map((row) => [row.key, row.tasks])).toEqual([
      ['gpt-4o', 3],
      ['gpt-4o-mini', 3],
    ])
    const rows = await collector.client.query({
      query: `SELECT task_id, length(model_names) AS pairs, length(arrayDistinct(model_names)) AS models
        FROM task_totals FINAL WHERE project_id = {projectId:String} AND is_first = 1
        ORDER BY task_id`,
      query_params: { projectId },
      format: 'JSONEachRow',
    })
    // c-1 takes the per-model sums, the others their stored spend.
    expect(await rows.json()).toEqual([
      { task_id: 'c-1', pairs: 3, models: 2 },
      { task_id: 'c-2', pairs: 2, models: 2 },
      { task_id: 'c-3', pairs: 1, models: 1 },
      { task_id: 'c-4', pairs: 1, models: 1 },
    ])
  })

  it('should list the newest tasks when the newest current row is a fallback task', async () => {
    // A late span of c-4 into hour 05, where c-4 had no part: its totals row (hour 04) still
    // names only current parts, but c-4 has spans in a stretch read from the spans.
    await post([call('c-4', '00000000000000d2', at(5, 15), 'gpt-4o', 'openai')])
    const rows = await taskRows(ALL)
    expect([rows.fallback, rows.fallbackInSpans]).toEqual([['c-4'], true])
    const [newest] = await listTasks(collector.client, { projectId, range: ALL, limit: 1 })
    expect([newest?.taskId, newest?.llmCalls]).toEqual(['c-4', 2])
    await expectSameAsSpans()
    await collector.rollups.refreshNow({ settleMillis: 0 })
    // c-4 is now split across hours 04 and 05: the step rollups withdraw hour 04's stamp, so
    // it is read from the spans until the next round rewrites it.
    await expectSameAsSpans()
    await collector.rollups.refreshNow({ settleMillis: 0 })
    expect((await taskRows(ALL)).fallback).toEqual([])
    await expectSameAsSpans()
  })
})
