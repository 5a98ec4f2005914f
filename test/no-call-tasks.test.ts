import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { noCallTaskTotals } from '../apps/collector/src/store/migrations/0091-no-call-task-totals'
import { queryCosts, type CostQuery } from '../apps/collector/src/store/queries/costs'
import { getTaskDetail } from '../apps/collector/src/store/queries/task-detail'
import { planTaskRows } from '../apps/collector/src/store/queries/task-rows'
import { planRange } from '../apps/collector/src/store/rollups/plan'
import { listTasks } from '../apps/collector/src/store/queries/tasks'
import { parseTimeRange } from '../apps/collector/src/store/queries/time-range'
import { llmCallSpan, toolCallSpan } from './support/hotspot-spans'
import { createOtlpJsonBody, toUnixNano, type JsonSpanInput } from './support/otlp-json'
import { outcomeRootSpan } from './support/recommendation-spans'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Tasks that made no model call (only tools, or only other work under their root) had nothing
 * to price: they cost exactly their tool fees ($0 without any), are not unpriced, and count in
 * task counts and percentiles like every other task, through the spans and through the rollups.
 */
let collector: TestCollector
let projectId: string
const at = (minute: number) => new Date(Date.UTC(2026, 10, 14, 9, minute))
const RANGE = parseTimeRange('2026-11-14T09:00:00Z', '2026-11-14T10:00:00Z')

const tool = (taskId: string, spanId: string, minute: number, feeUsd?: number): JsonSpanInput => {
  const span = toolCallSpan({
    taskId,
    taskName: 'lookup',
    spanId,
    at: at(minute),
    tool: 'search',
    argsHash: `${spanId.slice(-4)}000000000001`,
    resultHash: `${spanId.slice(-4)}000000000002`,
    resultTokens: 10,
  })
  if (feeUsd !== undefined) span.attributes['agentmeter.tool.cost.usd'] = feeUsd
  return span
}

/** Work under the task root that is neither a model call nor a tool (an HTTP request). */
const other = (taskId: string, spanId: string, minute: number): JsonSpanInput => ({
  traceId: Buffer.from(taskId).toString('hex').padEnd(32, '0').slice(0, 32),
  spanId,
  parentSpanId: 'f'.repeat(16),
  name: 'GET /inventory',
  startTimeUnixNano: toUnixNano(at(minute)),
  endTimeUnixNano: toUnixNano(new Date(at(minute).getTime() + 80)),
  attributes: { 'agentmeter.task.id': taskId, 'http.request.method': 'GET' },
})

const call = (taskId: string, spanId: string, minute: number, model: string) =>
  llmCallSpan({
    taskId,
    taskName: 'lookup',
    spanId,
    at: at(minute),
    model,
    input: 1200,
    output: 300,
    requestHash: `${spanId.slice(-4)}00000000000a`,
  })

const SPANS: JsonSpanInput[] = [
  // Two tools, one with a fee the app reports.
  outcomeRootSpan('n-tools-fee', 'lookup', at(1), 'success'),
  tool('n-tools-fee', '00000000000001a1', 2, 0.0025),
  tool('n-tools-fee', '00000000000001a2', 3),
  // One free tool.
  outcomeRootSpan('n-tool-free', 'lookup', at(5), 'success'),
  tool('n-tool-free', '00000000000002a1', 6),
  // Neither a model call nor a tool.
  outcomeRootSpan('n-other', 'lookup', at(10), 'failure'),
  other('n-other', '00000000000003a1', 11),
  // A priced gpt-4o call: 1200 × 2.5e-6 + 300 × 1e-5 = 0.006.
  outcomeRootSpan('n-priced', 'lookup', at(15), 'success'),
  call('n-priced', '00000000000004a1', 16, 'gpt-4o'),
  // Its only call is of a model nobody prices: unknown spend, not $0.
  outcomeRootSpan('n-unpriced', 'lookup', at(20), 'failure'),
  call('n-unpriced', '00000000000005a1', 21, 'not-a-known-model-x'),
]

const TASKS = [
  // Newest first: taskId, costUsd, unpricedCalls, llmCalls, toolCalls.
  ['n-unpriced', null, 1, 1, 0],
  ['n-priced', 0.006, 0, 1, 0],
  ['n-other', 0, 0, 0, 0],
  ['n-tool-free', 0, 0, 0, 1],
  ['n-tools-fee', 0.0025, 0, 0, 2],
]

/** Five tasks, two of them failed; the unpriced one has no cost to rank. */
const LOOKUP = {
  costUsd: 0.0085,
  // The unpriced task's call: its spend is missing from costUsd.
  unpricedCalls: 1,
  tasks: 5,
  successfulTasks: 3,
  failedTasks: 2,
  // The unpriced task (a failure): out of the percentiles and of cost per success.
  unpricedOnlyTasks: 1,
  unpricedOnlySuccessfulTasks: 0,
  // Nearest rank, the lower value, of [0, 0, 0.0025, 0.006].
  p50TaskCostUsd: 0,
  p95TaskCostUsd: 0.006,
  // $0.0085 over 3 successes, to the pico-dollar.
  costPerSuccessfulTaskUsd: 0.002833333333,
}

/** The totals rows as stored: the unpriced task keeps its unknown spend. */
const STORED = [
  ['n-other', '0'],
  ['n-priced', '0.006'],
  ['n-tool-free', '0'],
  ['n-tools-fee', '0.0025'],
  ['n-unpriced', null],
]

async function storedCosts(): Promise<unknown[]> {
  const result = await collector.client.query({
    query: `SELECT task_id, toString(cost) AS cost FROM task_totals FINAL
      WHERE project_id = {projectId:String} AND is_first = 1 ORDER BY task_id`,
    query_params: { projectId },
    format: 'JSONCompactEachRow',
  })
  return result.json()
}

async function expectRuleHolds(useRollups: boolean): Promise<void> {
  const base = { projectId, range: RANGE, useRollups }
  const tasks = await listTasks(collector.client, { ...base, limit: 10 })
  expect(tasks.map((t) => [t.taskId, t.costUsd, t.unpricedCalls, t.llmCalls, t.toolCalls])).toEqual(
    TASKS,
  )

  const costs = (query: Omit<CostQuery, 'projectId' | 'range'>) =>
    queryCosts(collector.client, { ...base, ...query })
  expect(await costs({ groupBy: 'task_name' })).toEqual([{ key: 'lookup', ...LOOKUP }])
  expect(await costs({ groupBy: 'day' })).toEqual([{ key: '2026-11-14', ...LOOKUP }])
  expect(await costs({ groupBy: 'hour' })).toEqual([{ key: '2026-11-14T09:00:00Z', ...LOOKUP }])
  // By model only the model calls count: a task without one has no model to be a sample of.
  const byModel = await costs({ groupBy: 'model' })
  expect(byModel.map((row) => [row.key, row.tasks])).toEqual([
    ['gpt-4o', 1],
    ['not-a-known-model-x', 1],
  ])
  expect(byModel[0]).toMatchObject({ costUsd: 0.006, p50TaskCostUsd: 0.006 })

  for (const [taskId, costUsd] of TASKS) {
    const detail = await getTaskDetail(collector.client, {
      projectId,
      taskId: taskId as string,
      range: RANGE,
    })
    expect(detail?.task.costUsd, String(taskId)).toBe(costUsd)
  }
}

beforeAll(async () => {
  collector = await createTestCollector({ env: { AGENTMETER_ROLLUP_INTERVAL_MS: '0' } })
  projectId = (await collector.projects.findProjectByName('test-project'))!.id
  expect(await collector.sendTraces(createOtlpJsonBody(SPANS))).toBe(200)
})

afterAll(async () => {
  await collector?.close()
})

describe('tasks without a model call', { timeout: 120_000 }, () => {
  it('should cost their tool fees, count and rank like any task, from the spans', async () => {
    await expectRuleHolds(false)
  })

  it('should say the same through the rollups and the task totals', async () => {
    await collector.rollups.refreshNow({ settleMillis: 0 })
    // Every task answered by its totals row, none from its parts.
    const rows = await planTaskRows(
      collector.client,
      await planRange(collector.client, projectId, RANGE),
    )
    expect(rows).toMatchObject({ useTotals: true, fallback: [] })
    expect(await storedCosts()).toEqual(STORED)
    await expectRuleHolds(true)
  })

  it('should rebuild the totals rows an earlier version wrote with no spend', async () => {
    // What the previous combine stored for the tasks without a model call: a NULL spend, in a
    // row of the same version (so, as a later insert, the one FINAL reads).
    await collector.client.command({
      query: `INSERT INTO task_totals SELECT * REPLACE (CAST(NULL, 'Nullable(Decimal(38, 12))') AS cost)
        FROM task_totals FINAL
        WHERE project_id = {projectId:String} AND llm_calls = 0`,
      query_params: { projectId },
    })
    expect(await storedCosts()).toEqual(
      STORED.map(([taskId, cost]) => [taskId, taskId === 'n-priced' ? cost : null]),
    )
    for (const run of [1, 2]) {
      for (const query of noCallTaskTotals.statements) await collector.client.command({ query })
      expect(await storedCosts(), `run ${run}`).toEqual(STORED)
    }
    await expectRuleHolds(true)
  })

  it('should show them priced in the HTTP API and the task page', async () => {
    const list = await collector.api<{ tasks: Array<{ taskId: string; costUsd: number | null }> }>(
      '/api/v1/tasks?from=2026-11-14T09:00:00Z&to=2026-11-14T10:00:00Z',
    )
    expect(list.body.tasks.map((task) => [task.taskId, task.costUsd])).toEqual(
      TASKS.map(([taskId, costUsd]) => [taskId, costUsd]),
    )
    const detail = await collector.api<{
      task: { costUsd: number | null; unpricedCalls: number }
      spans: Array<{ kind: string; costUsd: number | null; priced: boolean }>
    }>('/api/v1/tasks/n-other?from=2026-11-14T09:00:00Z&to=2026-11-14T10:00:00Z')
    expect(detail.body.task).toMatchObject({ costUsd: 0, unpricedCalls: 0 })
    expect(detail.body.spans.map((span) => [span.kind, span.costUsd, span.priced])).toEqual([
      ['task', null, false],
      ['other', null, false],
    ])
  })
})
