import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  queryCosts,
  type CostGroup,
  type CostSplit,
} from '../apps/collector/src/store/queries/costs'
import { planTaskRows } from '../apps/collector/src/store/queries/task-rows'
import { parseTimeRange } from '../apps/collector/src/store/queries/time-range'
import { modelUnpricedCalls } from '../apps/collector/src/store/migrations/0062-model-unpriced-calls'
import { totalsUnpricedAndProviders } from '../apps/collector/src/store/migrations/0063-totals-unpriced-and-providers'
import { taskTotalsInsertSql } from '../apps/collector/src/store/rollups/task-totals'
import { planRange } from '../apps/collector/src/store/rollups/plan'
import { llmCallSpan, withoutUsage } from './support/hotspot-spans'
import { type JsonSpanInput, postSpans } from './support/otlp-json'
import { outcomeRootSpan } from './support/recommendation-spans'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Costs grouped by model or provider count each row's own unpriced calls, not those of the
 * tasks that used the value: one task with a priced model (one of whose calls reported no
 * usage, so it is unpriced too), an unknown model of the same provider and an unknown model of
 * another provider, across two hours. Through the spans, the task totals, the parts of a task
 * that started before the range, a late delivery, and the migration's backfill.
 */
let collector: TestCollector
let projectId: string
const at = (hour: number, minute: number) => new Date(Date.UTC(2026, 10, 21, hour, minute))
const PRICED = 'gpt-4o-mini'
const UNKNOWN = 'totally-unknown-model'
const OTHER = 'acme-large'
/** gpt-4o-mini, 1000 in / 10 out: 1000 × 0.15e-6 + 10 × 0.6e-6. */
const CALL_USD = 0.000156

let serial = 0
const call = (taskId: string, when: Date, model: string, provider = 'openai') => {
  serial += 1
  const spanId = `${serial.toString(16).padStart(4, '0')}00000000b0b0`
  return llmCallSpan({
    taskId,
    taskName: '',
    spanId,
    at: when,
    model,
    provider,
    input: 1000,
    output: 10,
    requestHash: `${spanId.slice(0, 4)}00000000000c`,
  })
}

const SPANS: JsonSpanInput[] = [
  outcomeRootSpan('m-research', 'research', at(9, 50), 'success'),
  call('m-research', at(9, 51), PRICED),
  withoutUsage(call('m-research', at(9, 52), PRICED)),
  call('m-research', at(10, 5), UNKNOWN),
  call('m-research', at(10, 6), UNKNOWN),
  call('m-research', at(10, 7), OTHER, 'acme'),
  outcomeRootSpan('m-simple', 'simple', at(9, 10), 'success'),
  call('m-simple', at(9, 11), PRICED),
]

interface Expected {
  key: string
  series?: string
  costUsd: number | null
  unpricedCalls: number
  tasks: number
  /** Default: every task (both roots report success). */
  successes?: number
}

/** Every row's percentiles are its one or two equal task costs. */
const rowOf = ({ key, series, costUsd, unpricedCalls, tasks, successes = tasks }: Expected) => ({
  key,
  ...(series === undefined ? {} : { series }),
  costUsd,
  unpricedCalls,
  tasks,
  successfulTasks: successes,
  failedTasks: 0,
  // A row's tasks have a known spend in it, or (an unknown row) none has.
  unpricedOnlyTasks: costUsd === null ? tasks : 0,
  unpricedOnlySuccessfulTasks: costUsd === null ? successes : 0,
  p50TaskCostUsd: costUsd === null ? null : CALL_USD,
  p95TaskCostUsd: costUsd === null ? null : CALL_USD,
  costPerSuccessfulTaskUsd: costUsd === null || successes === 0 ? null : costUsd / successes,
})

/** The whole two hours; `late` adds one more unknown call to the research task. */
function expectedWhole(late: number): Record<string, Expected[]> {
  const unknown = 2 + late
  return {
    model: [
      { key: OTHER, costUsd: null, unpricedCalls: 1, tasks: 1 },
      // Its own call without usage, none of the task's unknown calls.
      { key: PRICED, costUsd: 2 * CALL_USD, unpricedCalls: 1, tasks: 2 },
      { key: UNKNOWN, costUsd: null, unpricedCalls: unknown, tasks: 1 },
    ],
    provider: [
      { key: 'acme', costUsd: null, unpricedCalls: 1, tasks: 1 },
      { key: 'openai', costUsd: 2 * CALL_USD, unpricedCalls: 1 + unknown, tasks: 2 },
    ],
    'model/provider': [
      { key: OTHER, series: 'acme', costUsd: null, unpricedCalls: 1, tasks: 1 },
      { key: PRICED, series: 'openai', costUsd: 2 * CALL_USD, unpricedCalls: 1, tasks: 2 },
      { key: UNKNOWN, series: 'openai', costUsd: null, unpricedCalls: unknown, tasks: 1 },
    ],
    'provider/model': [
      { key: 'acme', series: OTHER, costUsd: null, unpricedCalls: 1, tasks: 1 },
      { key: 'openai', series: PRICED, costUsd: 2 * CALL_USD, unpricedCalls: 1, tasks: 2 },
      { key: 'openai', series: UNKNOWN, costUsd: null, unpricedCalls: unknown, tasks: 1 },
    ],
    'task_name/model': [
      { key: 'research', series: OTHER, costUsd: null, unpricedCalls: 1, tasks: 1 },
      { key: 'research', series: PRICED, costUsd: CALL_USD, unpricedCalls: 1, tasks: 1 },
      { key: 'research', series: UNKNOWN, costUsd: null, unpricedCalls: unknown, tasks: 1 },
      { key: 'simple', series: PRICED, costUsd: CALL_USD, unpricedCalls: 0, tasks: 1 },
    ],
    'hour/provider': [
      { key: '2026-11-21T09:00:00Z', series: 'acme', costUsd: null, unpricedCalls: 1, tasks: 1 },
      {
        key: '2026-11-21T09:00:00Z',
        series: 'openai',
        costUsd: 2 * CALL_USD,
        unpricedCalls: 1 + unknown,
        tasks: 2,
      },
    ],
    // Task-level groups still count their tasks' calls.
    task_name: [
      { key: 'research', costUsd: CALL_USD, unpricedCalls: 2 + unknown, tasks: 1 },
      { key: 'simple', costUsd: CALL_USD, unpricedCalls: 0, tasks: 1 },
    ],
  }
}

/** From 10:00: the research task's second hour only (its root, with the outcome, is before). */
const SECOND_HOUR: Record<string, Expected[]> = {
  model: [
    { key: OTHER, costUsd: null, unpricedCalls: 1, tasks: 1, successes: 0 },
    { key: UNKNOWN, costUsd: null, unpricedCalls: 2, tasks: 1, successes: 0 },
  ],
  provider: [
    { key: 'acme', costUsd: null, unpricedCalls: 1, tasks: 1, successes: 0 },
    { key: 'openai', costUsd: null, unpricedCalls: 2, tasks: 1, successes: 0 },
  ],
}

const WHOLE = parseTimeRange('2026-11-21T09:00:00Z', '2026-11-21T11:00:00Z')
const FROM_TEN = parseTimeRange('2026-11-21T10:00:00Z', '2026-11-21T11:00:00Z')

async function expectCosts(
  range: typeof WHOLE,
  expected: Record<string, Expected[]>,
  useRollups: boolean,
): Promise<void> {
  for (const [grouping, rows] of Object.entries(expected)) {
    const [groupBy, split] = grouping.split('/') as [CostGroup, CostSplit | undefined]
    const actual = await queryCosts(collector.client, {
      projectId,
      range,
      groupBy,
      ...(split ? { split } : {}),
      useRollups,
    })
    expect(actual, `${grouping}${useRollups ? '' : ' (spans)'}`).toEqual(rows.map(rowOf))
  }
}

/** One OTLP/JSON request of these spans, acknowledged. */
const post = (spans: JsonSpanInput[]) =>
  postSpans(collector.url, collector.apiKey, spans, Number.POSITIVE_INFINITY)

beforeAll(async () => {
  collector = await createTestCollector({ env: { AGENTMETER_ROLLUP_INTERVAL_MS: '0' } })
  projectId = (await collector.projects.findProjectByName('test-project'))!.id
  await post(SPANS)
})

afterAll(async () => {
  await collector?.close()
})

describe('unpriced calls of costs by model and provider', { timeout: 180_000 }, () => {
  it('should count each model and provider its own unpriced calls, from the spans', async () => {
    await expectCosts(WHOLE, expectedWhole(0), false)
    await expectCosts(WHOLE, expectedWhole(0), true)
    const { status, body } = await collector.api<{ rows: unknown[] }>(
      `/api/v1/costs?from=2026-11-21T09:00:00Z&to=2026-11-21T11:00:00Z&groupBy=model`,
    )
    expect(status).toBe(200)
    expect(body.rows).toEqual(expectedWhole(0).model!.map(rowOf))
  })

  it('should count the same through the task totals and the parts', async () => {
    await collector.rollups.refreshNow({ settleMillis: 0 })
    const rows = await planTaskRows(
      collector.client,
      await planRange(collector.client, projectId, WHOLE),
    )
    expect(rows).toMatchObject({ useTotals: true, fallback: [] })
    await expectCosts(WHOLE, expectedWhole(0), true)
    // The research task started before 10:00: it is combined from its in-range parts.
    const parts = await planTaskRows(
      collector.client,
      await planRange(collector.client, projectId, FROM_TEN),
    )
    expect(parts).toMatchObject({ useTotals: true, fallback: ['m-research'] })
    await expectCosts(FROM_TEN, SECOND_HOUR, true)
    await expectCosts(FROM_TEN, SECOND_HOUR, false)
  })

  it('should count what the backfill of migration 62 writes for hours refreshed before it', async () => {
    await collector.client.command({ query: 'TRUNCATE TABLE task_model_unpriced_hours' })
    for (const statement of modelUnpricedCalls.statements) {
      await collector.client.command({ query: statement })
    }
    await expectCosts(WHOLE, expectedWhole(0), true)
    // Twice (a migration restarted): the rows are read once.
    await collector.client.command({ query: modelUnpricedCalls.statements[1]! })
    await expectCosts(WHOLE, expectedWhole(0), true)
    await expectCosts(FROM_TEN, SECOND_HOUR, true)
  })

  it('should count a late call in a stale hour from the spans', async () => {
    await post([call('m-research', at(10, 30), UNKNOWN)])
    const rows = await planTaskRows(
      collector.client,
      await planRange(collector.client, projectId, WHOLE),
    )
    expect(rows).toMatchObject({ useTotals: true, fallback: ['m-research'] })
    await expectCosts(WHOLE, expectedWhole(1), true)
    await collector.rollups.refreshNow({ settleMillis: 0 })
    await expectCosts(WHOLE, expectedWhole(1), true)
    await expectCosts(WHOLE, expectedWhole(1), false)
  })
})

/**
 * The totals rows carry each pair's and each provider's unpriced calls (migration 63): another
 * day, where one unknown model comes from two providers (the per-model sums) and the priced
 * model's provider also served an unknown one (the per-provider arrays). Then the same spans
 * again in other batches with a late call, and rows as written before migration 63.
 */
const on23 = (hour: number, minute: number) => new Date(Date.UTC(2026, 10, 23, hour, minute))
const DAY23 = parseTimeRange('2026-11-23T09:00:00Z', '2026-11-23T11:00:00Z')
const LATE = call('u-1', on23(10, 30), UNKNOWN, 'azure')
const SPANS_23: JsonSpanInput[] = [
  outcomeRootSpan('u-1', 'research', on23(9, 5), 'success'),
  call('u-1', on23(9, 6), PRICED),
  withoutUsage(call('u-1', on23(9, 7), PRICED)),
  call('u-1', on23(9, 8), UNKNOWN),
  call('u-1', on23(9, 9), UNKNOWN, 'azure'),
  call('u-1', on23(10, 10), OTHER, 'acme'),
  outcomeRootSpan('u-2', 'simple', on23(9, 20), 'success'),
  call('u-2', on23(9, 21), PRICED),
  call('u-2', on23(9, 22), UNKNOWN, 'azure'),
]

/** `late` adds one more unknown call from azure to u-1. */
function expected23(late: number): Record<string, Expected[]> {
  return {
    model: [
      { key: OTHER, costUsd: null, unpricedCalls: 1, tasks: 1 },
      { key: PRICED, costUsd: 2 * CALL_USD, unpricedCalls: 1, tasks: 2 },
      { key: UNKNOWN, costUsd: null, unpricedCalls: 3 + late, tasks: 2 },
    ],
    provider: [
      { key: 'acme', costUsd: null, unpricedCalls: 1, tasks: 1 },
      { key: 'azure', costUsd: null, unpricedCalls: 2 + late, tasks: 2 },
      { key: 'openai', costUsd: 2 * CALL_USD, unpricedCalls: 2, tasks: 2 },
    ],
    'model/provider': [
      { key: OTHER, series: 'acme', costUsd: null, unpricedCalls: 1, tasks: 1 },
      { key: PRICED, series: 'openai', costUsd: 2 * CALL_USD, unpricedCalls: 1, tasks: 2 },
      { key: UNKNOWN, series: 'azure', costUsd: null, unpricedCalls: 2 + late, tasks: 2 },
      { key: UNKNOWN, series: 'openai', costUsd: null, unpricedCalls: 1, tasks: 1 },
    ],
    'task_name/provider': [
      { key: 'research', series: 'acme', costUsd: null, unpricedCalls: 1, tasks: 1 },
      { key: 'research', series: 'azure', costUsd: null, unpricedCalls: 1 + late, tasks: 1 },
      { key: 'research', series: 'openai', costUsd: CALL_USD, unpricedCalls: 2, tasks: 1 },
      { key: 'simple', series: 'azure', costUsd: null, unpricedCalls: 1, tasks: 1 },
      { key: 'simple', series: 'openai', costUsd: CALL_USD, unpricedCalls: 0, tasks: 1 },
    ],
  }
}

/** u-1's totals row: unpriced calls per (provider, model) pair and per provider. */
async function carriedBy(taskId: string): Promise<unknown> {
  const result = await collector.client.query({
    query: `SELECT arraySort(arrayZip(model_providers, model_names, model_unpriced_calls)) AS pairs,
        arraySort(arrayZip(provider_names, provider_unpriced_calls)) AS providers
      FROM task_totals FINAL
      WHERE project_id = {projectId:String} AND task_id = {taskId:String} AND is_first = 1`,
    query_params: { projectId, taskId },
    format: 'JSONEachRow',
  })
  return result.json()
}

function carried(late: number): unknown {
  const pairs = [
    ['acme', OTHER, 1],
    ['azure', UNKNOWN, 1 + late],
    ['openai', PRICED, 1],
    ['openai', UNKNOWN, 1],
  ]
  const providers = [
    ['acme', 1],
    ['azure', 1 + late],
    ['openai', 2],
  ]
  return [{ pairs, providers }]
}

/** How the day's tasks are read: from the totals, and the fallback tasks from their parts. */
async function pathsOn23(): Promise<{ useTotals: boolean; fallback: string[] }> {
  const rows = await planTaskRows(
    collector.client,
    await planRange(collector.client, projectId, DAY23),
  )
  return { useTotals: rows.useTotals, fallback: [...rows.fallback].sort() }
}

/** The tasks whose totals row migration 63 rebuilds: counts that do not add up to the task's. */
async function toRebuild(): Promise<string[]> {
  const result = await collector.client.query({
    query: `SELECT task_id FROM task_totals FINAL
      WHERE is_first = 1 AND arraySum(model_unpriced_calls) != unpriced_calls ORDER BY task_id`,
    format: 'JSONEachRow',
  })
  return (await result.json<{ task_id: string }>()).map((row) => row.task_id)
}

/** After a refresh, every task of the day from its totals row, which carries the counts. */
async function refreshAndReadTotals(late: number): Promise<void> {
  await collector.rollups.refreshNow({ settleMillis: 0 })
  expect(await pathsOn23()).toEqual({ useTotals: true, fallback: [] })
  expect(await carriedBy('u-1')).toEqual(carried(late))
  await expectCosts(DAY23, expected23(late), true)
}

describe('unpriced calls carried by the task totals', { timeout: 180_000 }, () => {
  it('should read each pair and provider its own unpriced calls from the totals rows', async () => {
    await post(SPANS_23)
    await refreshAndReadTotals(0)
    await expectCosts(DAY23, expected23(0), false)
  })

  it('should count duplicates once and a late call, before and after the refresh', async () => {
    // The same spans again, in other batches: both hours are read from the spans, then the
    // refreshed totals count every call once.
    await postSpans(collector.url, collector.apiKey, [...SPANS_23].reverse(), 4)
    expect(await pathsOn23()).toEqual({ useTotals: false, fallback: [] })
    await expectCosts(DAY23, expected23(0), true)
    await refreshAndReadTotals(0)
    // A late call into a settled hour: u-1 from its parts and the spans, u-2 from its row.
    await post([LATE])
    expect(await pathsOn23()).toEqual({ useTotals: true, fallback: ['u-1'] })
    await expectCosts(DAY23, expected23(1), true)
    await refreshAndReadTotals(1)
    await expectCosts(DAY23, expected23(1), false)
  })

  it('should rebuild the rows migration 63 finds written before it, once', async () => {
    // Rows as the statement wrote them before the counts (same version: the last one is read).
    await collector.client.command({ query: taskTotalsInsertSql('1', { modelUnpriced: false }) })
    const counted = carried(1) as Array<{ pairs: unknown[][]; providers: unknown[][] }>
    expect(await carriedBy('u-1')).toEqual(
      counted.map(({ pairs, providers }) => ({
        pairs: pairs.map(([provider, model]) => [provider, model, 0]),
        providers: providers.map(([provider]) => [provider, 0]),
      })),
    )
    expect(await toRebuild()).toEqual(['m-research', 'u-1', 'u-2'])
    for (const statement of totalsUnpricedAndProviders.statements) {
      await collector.client.command({ query: statement })
    }
    expect(await carriedBy('u-1')).toEqual(carried(1))
    await expectCosts(DAY23, expected23(1), true)
    await expectCosts(WHOLE, expectedWhole(1), true)
    // A second run finds nothing left to rebuild, and answers the same.
    expect(await toRebuild()).toEqual([])
    for (const statement of totalsUnpricedAndProviders.statements) {
      await collector.client.command({ query: statement })
    }
    expect(await carriedBy('u-1')).toEqual(carried(1))
    await expectCosts(DAY23, expected23(1), true)
  })
})
