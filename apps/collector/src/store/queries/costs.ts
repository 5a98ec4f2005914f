import { usdPerUnit } from '@agentmeter/core'
import type { ClickHouseClient } from '@clickhouse/client'
import { HttpError } from '../../errors'
import { planRange, rawPlan, type RangePlan } from '../rollups/plan'
import { taskFilter, type ExploreFilters } from './explore/filters'
import { taskAggregateSql, taskModelSpendSql } from './task-aggregate'
import {
  FALLBACK_PARTS,
  FALLBACK_TASKS,
  fallbackPlan,
  planTaskRows,
  spansOnlyRows,
  taskRowsParams,
  taskRowsSql,
  TOTALS_USABLE,
  type TaskRowsPlan,
} from './task-rows'
import type { TimeRange } from './time-range'

export const COST_GROUPS = ['task_name', 'model', 'provider', 'day', 'hour'] as const
export type CostGroup = (typeof COST_GROUPS)[number]
export const COST_SPLITS = ['task_name', 'model', 'provider'] as const
export type CostSplit = (typeof COST_SPLITS)[number]

export interface CostRow {
  key: string
  series?: string
  /** Priced spend of the group; null when none of its calls could be priced (unknown, not $0). */
  costUsd: number | null
  /**
   * Unpriced model calls of the group: their spend is missing from `costUsd`. For task name,
   * day and hour, the calls of the group's tasks; for model and provider (with any split), the
   * group's own calls, so a priced model beside an unknown one in a task counts none.
   */
  unpricedCalls: number
  tasks: number
  successfulTasks: number
  failedTasks: number
  /**
   * Tasks with no known spend in the group (every call of theirs in it unpriced), and of them
   * the successes: left out of the percentiles and of cost per successful task.
   */
  unpricedOnlyTasks: number
  unpricedOnlySuccessfulTasks: number
  /** Percentiles of cost per task (each task's spend within the group), exact nearest rank. */
  p50TaskCostUsd: number | null
  p95TaskCostUsd: number | null
  /**
   * Known spend of the group's tasks divided by how many of those with a known spend succeeded
   * (the overview's population); null with no such success.
   */
  costPerSuccessfulTaskUsd: number | null
}

export interface CostQuery {
  projectId: string
  range: TimeRange
  groupBy: CostGroup
  split?: CostSplit
  name?: string
  /** False reads every span (FINAL) and ignores the rollups; for benchmarks and checks. */
  useRollups?: boolean
  /** Explore filters (besides `name`): which tasks count. */
  filters?: ExploreFilters
}

/**
 * Dimensions that live on single spans (model, provider) are grouped per (task, value) first,
 * so a task's spend on a model is one sample of that model's cost per task. Task-level
 * dimensions (name, day, hour) use the task aggregate directly.
 */
const SPAN_LEVEL: Partial<Record<CostGroup | CostSplit, string>> = {
  model: 'model',
  provider: 'provider',
}

const TASK_LEVEL: Partial<Record<CostGroup | CostSplit, string>> = {
  task_name: 'name',
  day: `toString(toDate(task_start, 'UTC'))`,
  hour: `formatDateTime(toStartOfHour(task_start, 'UTC'), '%Y-%m-%dT%H:00:00Z', 'UTC')`,
}

export function parseCostGroup(value: string | undefined): CostGroup {
  const group = value ?? 'task_name'
  if ((COST_GROUPS as readonly string[]).includes(group)) return group as CostGroup
  throw new HttpError(
    400,
    `groupBy must be one of ${COST_GROUPS.join(', ')}, got ${JSON.stringify(value)}`,
  )
}

export function parseCostSplit(value: string | undefined): CostSplit | undefined {
  if (value === undefined || value === '') return undefined
  if ((COST_SPLITS as readonly string[]).includes(value)) return value as CostSplit
  throw new HttpError(
    400,
    `split must be one of ${COST_SPLITS.join(', ')}, got ${JSON.stringify(value)}`,
  )
}

export async function queryCosts(client: ClickHouseClient, query: CostQuery): Promise<CostRow[]> {
  const dims = query.split ? [query.groupBy, query.split] : [query.groupBy]
  const spanDims = dims.filter((dim) => SPAN_LEVEL[dim])
  const plan =
    query.useRollups === false
      ? rawPlan(query.projectId, query.range)
      : await planRange(client, query.projectId, query.range)
  const taskRows: TaskRowsPlan =
    query.useRollups === false ? spansOnlyRows(plan) : await planTaskRows(client, plan)
  // Only what the grouping needs: each combined column costs time over many tasks.
  const byTime = dims.some((dim) => dim === 'day' || dim === 'hour')
  // The name only where the grouping or a filter reads it.
  const byName =
    dims.includes('task_name') || Boolean(query.name) || query.filters?.name !== undefined
  const columns = [
    ...(byName ? (['name'] as const) : []),
    'outcome',
    ...(byTime ? (['task_start'] as const) : []),
    // Span-level groups take spend and unpriced calls per (task, value), not the task's.
    ...(spanDims.length > 0 ? [] : (['cost', 'unpriced_calls'] as const)),
  ] as const
  const explore = taskFilter(query.filters ?? {}, spanDims.length > 0 ? 't.' : '')
  const named = (prefix: string) => (query.name ? `${prefix}name = {name:String}` : '1')
  const perTask = spanDims.length > 0 ? perTaskAndSpanValues() : perTaskOnly(dims)
  const result = await client.query({
    query: `SELECT key, ${query.split ? 'series,' : ''}
        toString(sum(cost)) AS total_cost, toString(count()) AS task_count,
        toString(sum(unpriced_calls)) AS unpriced,
        toString(countIf(outcome = 'success')) AS successes,
        toString(countIf(outcome = 'failure')) AS failures,
        toString(countIf(cost IS NULL)) AS unpriced_only,
        toString(countIf(cost IS NULL AND outcome = 'success')) AS unpriced_only_successes,
        -- One aggregate (one sort) for both levels, not one per level; NULL without a
        -- priced task, as quantileExactLow gives (quantilesExactLow gives 0 there).
        toString(if(count(cost) = 0, NULL, quantilesExactLow(0.5, 0.95)(cost)[1])) AS p50,
        toString(if(count(cost) = 0, NULL, quantilesExactLow(0.5, 0.95)(cost)[2])) AS p95
      FROM (${perTask})
      GROUP BY key ${query.split ? ', series' : ''}
      ORDER BY key ${query.split ? ', series' : ''}`,
    query_params: { ...taskRowsParams(taskRows), name: query.name ?? '', ...explore.params },
    format: 'JSONEachRow',
  })
  const rows = await result.json<{
    key: string
    series?: string
    total_cost: string | null
    task_count: string
    unpriced: string
    successes: string
    failures: string
    unpriced_only: string
    unpriced_only_successes: string
    p50: string | null
    p95: string | null
  }>()
  // `sum` over NULL costs only is NULL: a group nothing could be priced in has no known spend.
  const money = (text: string | null) => (text === null ? null : Number(text))
  return rows.map((row) => {
    const cost = money(row.total_cost)
    const successes = Number(row.successes)
    const unpricedOnlySuccesses = Number(row.unpriced_only_successes)
    return {
      key: row.key,
      ...(query.split ? { series: row.series ?? '' } : {}),
      costUsd: cost,
      unpricedCalls: Number(row.unpriced),
      tasks: Number(row.task_count),
      successfulTasks: successes,
      failedTasks: Number(row.failures),
      unpricedOnlyTasks: Number(row.unpriced_only),
      unpricedOnlySuccessfulTasks: unpricedOnlySuccesses,
      p50TaskCostUsd: money(row.p50),
      p95TaskCostUsd: money(row.p95),
      // A success of unknown spend adds nothing to the spend: counted, it would lower the figure.
      costPerSuccessfulTaskUsd: usdPerUnit(row.total_cost, successes - unpricedOnlySuccesses),
    }
  })

  function perTaskOnly(dimensions: Array<CostGroup | CostSplit>): string {
    const [key, series] = dimensions.map((dim) => TASK_LEVEL[dim]!)
    return `SELECT ${key} AS key, ${series ? `${series} AS series,` : ''} cost, outcome,
        unpriced_calls
      FROM (${taskRowsSql(taskRows, columns)})
      WHERE ${named('')} AND ${explore.sql}`
  }

  /** Per (task, span-level value); the usable totals rows hold each task's spend per model. */
  function perTaskAndSpanValues(): string {
    const fromParts = (partsPlan: RangePlan, condition: string, parts: string) =>
      perTaskAndSpanValue(
        dims,
        taskAggregateSql(partsPlan, columns, condition, parts),
        taskModelSpendSql(partsPlan, condition, parts),
        `${named('t.')} AND ${explore.sql}`,
      )
    if (!taskRows.useTotals) return fromParts(plan, '1', '1')
    const fromTotals = spanValuesFromTotals(
      dims,
      `${named('')} AND ${taskFilter(query.filters ?? {}).sql}`,
    )
    if (taskRows.fallback.length === 0) return fromTotals
    const fallback = fromParts(fallbackPlan(taskRows), FALLBACK_TASKS, FALLBACK_PARTS)
    return `${fromTotals}\n  UNION ALL\n  ${fallback}`
  }
}

/**
 * The usable totals rows as (task, span-level value) rows: a row's spend summed per asked
 * value, NULL when all of it is unpriced (as `sum` over the parts gives), and the value's own
 * unpriced calls. A row carries both per (provider, model) pair and per provider (migration
 * 63), so most rows are read as stored (a usable totals row combined exactly the current parts
 * of its task in the range).
 */
function spanValuesFromTotals(dimensions: Array<CostGroup | CostSplit>, explore: string): string {
  const span = dimensions.filter((dim) => SPAN_LEVEL[dim])
  const both = span.length === 2
  const column = (dim: CostGroup | CostSplit) =>
    SPAN_LEVEL[dim]
      ? both
        ? `tupleElement(kc.1, ${dim === 'provider' ? 1 : 2})`
        : 'kc.1'
      : TASK_LEVEL[dim]!
  const [key, series] = dimensions.map(column)
  return `SELECT ${key} AS key, ${series ? `${series} AS series,` : ''} kc.2 AS cost,
      outcome, kc.3 AS unpriced_calls
    FROM task_totals FINAL
    ARRAY JOIN ${spanValues(both ? 'pair' : span[0] === 'model' ? 'model' : 'provider')} AS kc
    WHERE ${TOTALS_USABLE} AND ${explore}`
}

/** A totals row's (value, spend, unpriced calls) per pair, per provider or per model. */
function spanValues(per: 'pair' | 'model' | 'provider'): string {
  if (per === 'provider') return 'arrayZip(provider_names, provider_costs, provider_unpriced_calls)'
  if (per === 'pair') {
    // A row's (provider, model) pairs are distinct: each is one value already.
    return 'arrayZip(arrayZip(model_providers, model_names), model_costs, model_unpriced_calls)'
  }
  // So are its models unless one model came from two providers: only those rows need the
  // per-model sums (a filter over the row's arrays for each model).
  const perModel = (values: string) => `arrayFilter((v, m) -> m = k, ${values}, model_names)`
  return `if(length(arrayDistinct(model_names)) = length(model_names),
      arrayZip(model_names, model_costs, model_unpriced_calls),
      arrayMap(k -> (k, arrayReduce('sum', ${perModel('model_costs')}),
          arraySum(${perModel('model_unpriced_calls')})),
        arrayDistinct(model_names)))`
}

/**
 * Per (task, span-level value): the task's spend on that model or provider. Task-level values
 * come from the task aggregate, joined by task id.
 */
function perTaskAndSpanValue(
  dimensions: Array<CostGroup | CostSplit>,
  tasks: string,
  modelSpend: string,
  explore: string,
): string {
  const column = (dim: CostGroup | CostSplit) =>
    // A task-level value is an expression over the task's columns (`t` alone has them), so it
    // takes no prefix: `t.toString(...)` would name no function.
    SPAN_LEVEL[dim] ? `s.${dim}` : TASK_LEVEL[dim]!
  const spanColumns = dimensions
    .filter((dim) => SPAN_LEVEL[dim])
    .map((dim) => `${SPAN_LEVEL[dim]!} AS ${dim}`)
  const spanGroup = dimensions.filter((dim) => SPAN_LEVEL[dim])
  const [key, series] = dimensions.map(column)
  return `SELECT ${key} AS key, ${series ? `${series} AS series,` : ''} s.cost AS cost, t.outcome AS outcome,
      s.unpriced_calls AS unpriced_calls
    FROM (
      SELECT task_id, ${spanColumns.join(', ')}, sum(cost) AS cost,
        sum(unpriced_calls) AS unpriced_calls
      FROM (${modelSpend})
      GROUP BY task_id, ${spanGroup.join(', ')}
    ) AS s
    INNER JOIN (${tasks}) AS t ON t.task_id = s.task_id
    WHERE ${explore}`
}
