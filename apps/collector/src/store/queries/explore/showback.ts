import type { ClickHouseClient } from '@clickhouse/client'
import type { DimensionMapping, ShowbackDimension } from '../../dimension-store'
import { rawTaskAggregateSql } from '../task-aggregate'
import type { TimeRange } from '../time-range'
import { taskFilter, type ExploreFilters } from './filters'

export interface ShowbackRow {
  /** The dimension's value; `''` for the spend of tasks that do not carry it. */
  key: string
  /** `YYYY-MM` (UTC) of the tasks' start, with `split=month`. */
  month?: string
  /** Priced spend; null when none of these tasks' calls could be priced (unknown, not $0). */
  costUsd: number | null
  tasks: number
  /** Calls without a price in these tasks: their spend is missing from `costUsd`, not $0. */
  unpricedCalls: number
  /** Share of the total spend, 0..1; null when the total is zero. */
  share: number | null
}

export interface ShowbackReport {
  dimension: ShowbackDimension
  /** How the value is read: a span column, or the project's mapping (null when unmapped). */
  mapping: { source: 'column'; column: string } | Omit<DimensionMapping, 'dimension'> | null
  /** Null when nothing in the range could be priced. */
  totalCostUsd: number | null
  totalTasks: number
  rows: ShowbackRow[]
}

export interface ShowbackQuery {
  projectId: string
  range: TimeRange
  dimension: ShowbackDimension
  /** The project's mapping of a mapped dimension; null when it has none. */
  mapping: DimensionMapping | null
  splitByMonth: boolean
  filters: ExploreFilters
}

const COLUMNS: Record<string, string> = { environment: 'environment', service: 'service_name' }

/**
 * Spend by team, customer, feature, environment or service. Each task goes whole to one value:
 * the one on its task root when the root carries it, else any of its spans' (so a resource
 * attribute on every span and a span attribute set once on the root both work). Sums stay
 * Decimal(38, 12) in ClickHouse and become numbers at the edge.
 */
export async function queryShowback(
  client: ClickHouseClient,
  query: ShowbackQuery,
): Promise<ShowbackReport> {
  const value = valueSql(query)
  const filter = taskFilter(query.filters, 't.')
  const params = { projectId: query.projectId, ...query.range, ...filter.params, ...value.params }
  const tasks = rawTaskAggregateSql(filter.scan)
  const month = `formatDateTime(toStartOfMonth(t.task_start, 'UTC'), '%Y-%m', 'UTC')`
  const result = await client.query({
    query: `SELECT d.key AS key, ${query.splitByMonth ? `${month} AS month,` : ''}
        toString(sum(t.cost)) AS cost, toString(count()) AS tasks,
        toString(sum(t.unpriced_calls)) AS unpriced
      FROM (${tasks}) AS t
      INNER JOIN (
        SELECT task_id,
          if(countIf(is_task_root AND v != '') > 0, anyIf(v, is_task_root AND v != ''),
             anyIf(v, v != '')) AS key
        FROM (SELECT task_id, is_task_root, ${value.sql} AS v FROM spans FINAL
          WHERE project_id = {projectId:String}
            AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')})
        GROUP BY task_id
      ) AS d ON d.task_id = t.task_id
      WHERE ${filter.sql}
      GROUP BY key ${query.splitByMonth ? ', month' : ''}
      ORDER BY ${query.splitByMonth ? 'month, ' : ''}sum(t.cost) DESC, key`,
    query_params: params,
    format: 'JSONEachRow',
  })
  const rows = await result.json<{
    key: string
    month?: string
    cost: string | null
    tasks: string
    unpriced: string
  }>()
  const totals = await client.query({
    query: `SELECT toString(sum(t.cost)) AS cost, toString(count()) AS tasks
      FROM (${tasks}) AS t WHERE ${filter.sql}`,
    query_params: params,
    format: 'JSONEachRow',
  })
  const [total] = await totals.json<{ cost: string | null; tasks: string }>()
  // `sum` over NULL costs only (tasks nothing could be priced in) is NULL: unknown, not $0.
  const money = (text: string | null | undefined) => (text == null ? null : Number(text))
  // No task at all spent nothing ($0); tasks none of which could be priced, an unknown spend.
  const totalCost = Number(total?.tasks ?? 0) === 0 ? 0 : money(total?.cost)
  return {
    dimension: query.dimension,
    mapping: COLUMNS[query.dimension]
      ? { source: 'column', column: COLUMNS[query.dimension]! }
      : query.mapping && { source: query.mapping.source, attributeKey: query.mapping.attributeKey },
    totalCostUsd: totalCost,
    totalTasks: Number(total?.tasks ?? 0),
    rows: rows.map((row) => ({
      key: row.key,
      ...(query.splitByMonth ? { month: row.month ?? '' } : {}),
      costUsd: money(row.cost),
      tasks: Number(row.tasks),
      unpricedCalls: Number(row.unpriced),
      share:
        totalCost === null || totalCost === 0 || row.cost === null
          ? null
          : Number(row.cost) / totalCost,
    })),
  }
}

/** The per-span value of the dimension; `''` everywhere for an unmapped one. */
function valueSql(query: ShowbackQuery): { sql: string; params: Record<string, string> } {
  const column = COLUMNS[query.dimension]
  if (column) return { sql: column, params: {} }
  const key = query.mapping?.attributeKey
  if (!key) return { sql: `''`, params: {} }
  const params = { dimensionKey: key }
  const span = 'attributes[{dimensionKey:String}]'
  const resource = 'resource_attributes[{dimensionKey:String}]'
  if (query.mapping!.source === 'span') return { sql: span, params }
  if (query.mapping!.source === 'resource') return { sql: resource, params }
  return { sql: `if(${span} != '', ${span}, ${resource})`, params }
}
