import { usdPerUnit } from '@agentmeter/core'
import type { ClickHouseClient } from '@clickhouse/client'
import { rawTaskAggregateSql } from '../task-aggregate'
import type { TimeRange } from '../time-range'
import { taskFilter, type ExploreFilters } from './filters'
import { queryMonthSpend, type MonthSpend } from './month-spend'

export interface OverviewReport {
  range: { from: string; to: string }
  /** Today, month to date and the forecast, with the unpriced calls each leaves out. */
  todayUsd: MonthSpend['todayUsd']
  monthToDateUsd: MonthSpend['monthToDateUsd']
  todayUnpricedCalls: number
  monthToDateUnpricedCalls: number
  forecast: MonthSpend['forecast']
  /** Over the range; null when nothing in it could be priced (unknown, not $0): */
  costUsd: number | null
  tasks: number
  successfulTasks: number
  /** Tasks whose calls were all unpriced: left out of the per-task figures (their cost is unknown). */
  unpricedOnlyTasks: number
  /** Of those, the successes: left out of `costPerSuccessfulTaskUsd`'s count as well. */
  unpricedOnlySuccessfulTasks: number
  /** Both over the tasks with a known spend, so cost per success is never below cost per task. */
  costPerTaskUsd: number | null
  costPerSuccessfulTaskUsd: number | null
  /** Each row's `costUsd` is null when none of its calls could be priced; `unpricedCalls` beside. */
  tasksPerDay: Array<{
    day: string
    tasks: number
    successfulTasks: number
    costUsd: number | null
    unpricedCalls: number
  }>
  topTaskTypes: Array<{
    name: string
    tasks: number
    costUsd: number | null
    unpricedCalls: number
  }>
  /** `unpricedCalls` here are the model's own calls without a price. */
  topModels: Array<{
    provider: string
    model: string
    calls: number
    costUsd: number | null
    unpricedCalls: number
  }>
  unpriced: { calls: number; totalCalls: number; share: number | null }
}

export interface OverviewQuery {
  projectId: string
  range: TimeRange
  filters: ExploreFilters
  now: Date
}

const TOP = 5

/** The Overview page in one call: totals, per-day counts, top lists, and the month forecast. */
export async function queryOverview(
  client: ClickHouseClient,
  query: OverviewQuery,
): Promise<OverviewReport> {
  const filter = taskFilter(query.filters)
  const params = { projectId: query.projectId, ...query.range, ...filter.params }
  const tasks = `SELECT * FROM (${rawTaskAggregateSql(filter.scan)}) WHERE ${filter.sql}`
  // `sum` over NULL costs only (tasks nothing could be priced in) is NULL: unknown, not $0.
  const money = (text: string | null | undefined) => (text == null ? null : Number(text))
  const rows = async <T>(sql: string, extra: Record<string, string> = {}): Promise<T[]> => {
    const result = await client.query({
      query: sql,
      query_params: { ...params, ...extra },
      format: 'JSONEachRow',
    })
    return result.json<T>()
  }

  const [totals] = await rows<
    Record<string, string | null>
  >(`SELECT toString(sum(cost)) AS total_cost,
      toString(count()) AS tasks, toString(countIf(outcome = 'success')) AS successes,
      toString(countIf(priced_calls = 0 AND unpriced_calls > 0)) AS unpriced_only,
      toString(countIf(priced_calls = 0 AND unpriced_calls > 0 AND outcome = 'success'))
        AS unpriced_only_successes,
      toString(sum(priced_calls + unpriced_calls)) AS all_calls,
      toString(sum(unpriced_calls)) AS unpriced_total
    FROM (${tasks})`)
  const perDay = await rows<
    Record<string, string | null>
  >(`SELECT toString(toDate(task_start, 'UTC')) AS day,
      toString(count()) AS tasks, toString(countIf(outcome = 'success')) AS successes,
      toString(sum(cost)) AS total_cost, toString(sum(unpriced_calls)) AS unpriced
    FROM (${tasks}) GROUP BY day ORDER BY day`)
  const topTasks = await rows<
    Record<string, string | null>
  >(`SELECT name, toString(count()) AS tasks,
      toString(sum(cost)) AS total_cost, toString(sum(unpriced_calls)) AS unpriced
    FROM (${tasks}) GROUP BY name ORDER BY sum(cost) DESC, name LIMIT ${TOP}`)
  const topModels = await rows<Record<string, string | null>>(`SELECT provider,
      if(response_model != '', response_model, request_model) AS model,
      toString(count()) AS calls, toString(countIf(NOT priced)) AS unpriced,
      -- A model none of whose calls could be priced has no known spend (sumIf would say 0).
      toString(if(countIf(priced) = 0, NULL, sumIf(cost_usd, priced))) AS cost
    FROM spans FINAL
    WHERE project_id = {projectId:String}
      AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')}
      AND kind IN ('llm', 'embedding') AND task_id IN (SELECT task_id FROM (${tasks}))
    GROUP BY provider, model ORDER BY sumIf(cost_usd, priced) DESC, model LIMIT ${TOP}`)

  const month = await queryMonthSpend(client, query)
  const taskCount = Number(totals?.tasks ?? 0)
  // No task at all spent nothing ($0); tasks none of which could be priced have an unknown spend.
  const costUsd = taskCount === 0 ? 0 : money(totals?.total_cost)
  const successes = Number(totals?.successes ?? 0)
  const unpricedOnly = Number(totals?.unpriced_only ?? 0)
  const unpricedOnlySuccesses = Number(totals?.unpriced_only_successes ?? 0)
  const calls = Number(totals?.all_calls ?? 0)
  const unpricedCalls = Number(totals?.unpriced_total ?? 0)
  const pricedTasks = taskCount - unpricedOnly
  return {
    range: { from: isoOf(query.range.from), to: isoOf(query.range.to) },
    ...month,
    costUsd,
    tasks: taskCount,
    successfulTasks: successes,
    unpricedOnlyTasks: unpricedOnly,
    unpricedOnlySuccessfulTasks: unpricedOnlySuccesses,
    costPerTaskUsd: usdPerUnit(totals?.total_cost, pricedTasks),
    // All the known spend (failed tasks' too) per success, as the cost rows count it: what one
    // success costs, not what a successful task costs on average. Over the same tasks as cost
    // per task (those with a known spend): a success of unknown spend counted here, but not
    // there, would put one success's cost below one task's.
    costPerSuccessfulTaskUsd: usdPerUnit(totals?.total_cost, successes - unpricedOnlySuccesses),
    tasksPerDay: perDay.map((row) => ({
      day: row.day!,
      tasks: Number(row.tasks),
      successfulTasks: Number(row.successes),
      costUsd: money(row.total_cost),
      unpricedCalls: Number(row.unpriced),
    })),
    topTaskTypes: topTasks.map((row) => ({
      name: row.name!,
      tasks: Number(row.tasks),
      costUsd: money(row.total_cost),
      unpricedCalls: Number(row.unpriced),
    })),
    topModels: topModels.map((row) => ({
      provider: row.provider!,
      model: row.model!,
      calls: Number(row.calls),
      costUsd: money(row.cost),
      unpricedCalls: Number(row.unpriced),
    })),
    unpriced: {
      calls: unpricedCalls,
      totalCalls: calls,
      share: calls > 0 ? unpricedCalls / calls : null,
    },
  }
}

function isoOf(dateTime64: string): string {
  return `${dateTime64.replace(' ', 'T')}Z`
}
