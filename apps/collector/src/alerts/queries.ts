import type { ClickHouseClient } from '@clickhouse/client'
import { TASK_AGGREGATE_SQL } from '../store/queries/task-aggregate'
import type { AlertRule, RuleFilters } from './rule'
import { toDateTime64Millis } from './version'

/**
 * The reads behind alert evaluation. Task cost means what it means in every other view: the
 * shared task aggregate (priced spans plus per-call tool fees, deduplicated with FINAL), so an
 * alert's cost is the cost the dashboard shows for the same task.
 */

export interface TaskCost {
  taskId: string
  name: string
  /** Decimal USD string. */
  cost: string
  pricedCalls: number
  unpricedCalls: number
  /** Epoch millis of the task's last span end. */
  endMillis: number
}

export interface WindowStats {
  tasks: number
  /** Exact nearest-rank p95 of cost per task (as in /api/v1/costs); null without tasks. */
  p95: string | null
  /** Sum of task costs in the window (decimal string). */
  spend: string
  unpricedCalls: number
}

export interface TimeWindow {
  from: Date
  to: Date
}

// The aggregate narrowed to a few task ids, so a check after ingest reads only those tasks.
const TASKS_BY_ID_SQL = TASK_AGGREGATE_SQL.replace(
  'GROUP BY task_id',
  'AND task_id IN {taskIds:Array(String)}\n  GROUP BY task_id',
)
if (TASKS_BY_ID_SQL === TASK_AGGREGATE_SQL) {
  throw new Error('the task aggregate no longer groups by task_id; update alerts/queries.ts')
}

/** The current cost of each of these tasks (those that exist in the window). */
export async function queryTaskCosts(
  client: ClickHouseClient,
  projectId: string,
  taskIds: string[],
  window: TimeWindow,
): Promise<TaskCost[]> {
  const result = await client.query({
    query: `SELECT task_id, name, toString(cost) AS cost_text,
        toString(priced_calls) AS priced, toString(unpriced_calls) AS unpriced,
        toUnixTimestamp64Milli(task_end) AS end_millis
      FROM (${TASKS_BY_ID_SQL})`,
    query_params: { projectId, taskIds, ...range(window) },
    format: 'JSONEachRow',
  })
  const rows = await result.json<{
    task_id: string
    name: string
    cost_text: string
    priced: string
    unpriced: string
    end_millis: string | number
  }>()
  return rows.map((row) => ({
    taskId: row.task_id,
    name: row.name,
    cost: row.cost_text,
    pricedCalls: Number(row.priced),
    unpricedCalls: Number(row.unpriced),
    endMillis: Number(row.end_millis),
  }))
}

/** Of these tasks, the ids that pass a rule's environment, service and tag filters. */
export async function filterTaskIds(
  client: ClickHouseClient,
  projectId: string,
  taskIds: string[],
  filters: RuleFilters,
  window: TimeWindow,
): Promise<Set<string>> {
  const filter = filterSql(filters)
  if (!filter) return new Set(taskIds)
  const result = await client.query({
    query: `SELECT DISTINCT task_id FROM spans
      WHERE project_id = {projectId:String}
        AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')}
        AND task_id IN {taskIds:Array(String)} AND (${filter.sql})`,
    query_params: { projectId, taskIds, ...range(window), ...filter.params },
    format: 'JSONEachRow',
  })
  return new Set((await result.json<{ task_id: string }>()).map((row) => row.task_id))
}

/** Task count, p95 cost per task, spend and unpriced calls of a rule's tasks in a window. */
export async function queryWindowStats(
  client: ClickHouseClient,
  rule: Pick<AlertRule, 'projectId' | 'taskName' | 'filters'>,
  window: TimeWindow,
): Promise<WindowStats> {
  const filter = filterSql(rule.filters)
  const conditions = ['1']
  if (rule.taskName) conditions.push('name = {taskName:String}')
  if (filter) {
    conditions.push(`task_id IN (SELECT task_id FROM spans
      WHERE project_id = {projectId:String}
        AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')}
        AND (${filter.sql}))`)
  }
  const result = await client.query({
    // A task whose every call is unpriced has no cost (null, never $0): it is left out of the
    // percentile and counted in unpriced_calls instead.
    query: `SELECT toString(countIf(NOT unpriced_only)) AS task_count,
        toString(quantileExactLowIf(0.95)(cost, NOT unpriced_only)) AS p95,
        toString(sum(cost)) AS spend, toString(sum(unpriced_calls)) AS unpriced
      FROM (
        SELECT *, priced_calls = 0 AND unpriced_calls > 0 AS unpriced_only
        FROM (${TASK_AGGREGATE_SQL})
        WHERE ${conditions.join(' AND ')}
      )`,
    query_params: {
      projectId: rule.projectId,
      taskName: rule.taskName,
      ...range(window),
      ...(filter?.params ?? {}),
    },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{
    task_count: string
    p95: string
    spend: string
    unpriced: string
  }>()
  const tasks = Number(row?.task_count ?? 0)
  return {
    tasks,
    p95: tasks > 0 ? (row?.p95 ?? null) : null,
    spend: row?.spend ?? '0',
    unpricedCalls: Number(row?.unpriced ?? 0),
  }
}

/** A span-level condition for a rule's filters; a task passes when any of its spans does. */
export function filterSql(
  filters: RuleFilters,
): { sql: string; params: Record<string, string> } | null {
  const parts: string[] = []
  const params: Record<string, string> = {}
  if (filters.environment) {
    parts.push('environment = {filterEnvironment:String}')
    params.filterEnvironment = filters.environment
  }
  if (filters.service) {
    parts.push('service_name = {filterService:String}')
    params.filterService = filters.service
  }
  Object.entries(filters.tags).forEach(([key, value], index) => {
    parts.push(
      `(attributes[{tagKey${index}:String}] = {tagValue${index}:String} OR resource_attributes[{tagKey${index}:String}] = {tagValue${index}:String})`,
    )
    params[`tagKey${index}`] = key
    params[`tagValue${index}`] = value
  })
  return parts.length === 0 ? null : { sql: parts.join(' AND '), params }
}

function range(window: TimeWindow): { from: string; to: string } {
  return { from: toDateTime64Millis(window.from), to: toDateTime64Millis(window.to) }
}
