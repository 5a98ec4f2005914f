import type { ClickHouseClient } from '@clickhouse/client'
import { dateTime64ToIso } from '../span-record'
import { planRange, rawPlan } from '../rollups/plan'
import { TASK_COLUMNS } from '../rollups/task-partials'
import { taskFilter, type ExploreFilters } from './explore/filters'
import { AFTER_CURSOR, encodeTaskCursor, taskCursorParams, type TaskCursor } from './task-cursor'
import {
  newestTaskRowsSql,
  newestTotalsHour,
  planTaskRows,
  spansOnlyRows,
  taskRowsParams,
  type TaskRowsPlan,
} from './task-rows'
import type { TimeRange } from './time-range'

export interface TaskSummary {
  taskId: string
  name: string
  startTime: string
  endTime: string
  /** USD; null when the task made billed calls and none of them could be priced. */
  costUsd: number | null
  unpricedCalls: number
  llmCalls: number
  toolCalls: number
  /** Token sums over the calls whose usage is known: see `callsWithoutUsage`. */
  inputTokens: number
  outputTokens: number
  /**
   * Model calls whose provider reported no usage (a stream without its usage chunk): their
   * tokens are unknown, so missing from `inputTokens` / `outputTokens`, not 0.
   */
  callsWithoutUsage: number
  outcome: '' | 'success' | 'failure'
}

export interface TaskAggregateRow {
  task_id: string
  name: string
  task_start: string
  task_end: string
  cost: string
  priced_calls: string
  unpriced_calls: string
  llm_calls: string
  tool_calls: string
  input_tokens: string
  output_tokens: string
  outcome: string
}

/** Columns of the aggregate as text: ClickHouse quotes 64-bit integers in JSON, Decimal too. */
const SELECT_AS_TEXT = `
  SELECT task_id, name, toString(task_start) AS task_start, toString(task_end) AS task_end,
    toString(cost) AS cost, toString(priced_calls) AS priced_calls,
    toString(unpriced_calls) AS unpriced_calls, toString(llm_calls) AS llm_calls,
    toString(tool_calls) AS tool_calls, toString(input_tokens) AS input_tokens,
    toString(output_tokens) AS output_tokens, outcome`

export interface TaskListQuery {
  projectId: string
  range: TimeRange
  name?: string
  taskId?: string
  limit: number
  /** False reads every span (FINAL) and ignores the rollups; for benchmarks and checks. */
  useRollups?: boolean
  /** Explore filters (besides `name`): which tasks are listed. */
  filters?: ExploreFilters
  /** Only the tasks after this place in the list (the next page). */
  after?: TaskCursor
}

/** A page of the task list, and the cursor of the next one (null: this is the last). */
export interface TaskPage {
  tasks: TaskSummary[]
  nextCursor: string | null
}

/** The newest `limit` tasks of the query (after its cursor, if any), newest first. */
export async function listTasks(
  client: ClickHouseClient,
  query: TaskListQuery,
): Promise<TaskSummary[]> {
  return summaries(client, query.projectId, await readTaskRows(client, query))
}

/** `listTasks` with the cursor of the next page: one row more is read to know there is one. */
export async function listTaskPage(
  client: ClickHouseClient,
  query: TaskListQuery,
): Promise<TaskPage> {
  const rows = await readTaskRows(client, { ...query, limit: query.limit + 1 })
  const page = rows.slice(0, query.limit)
  const last = page.at(-1)
  const more = rows.length > query.limit && last !== undefined
  return {
    tasks: await summaries(client, query.projectId, page),
    nextCursor: more ? encodeTaskCursor({ start: last.task_start, taskId: last.task_id }) : null,
  }
}

async function readTaskRows(
  client: ClickHouseClient,
  query: TaskListQuery,
): Promise<TaskAggregateRow[]> {
  const filters: string[] = []
  if (query.name) filters.push('name = {name:String}')
  if (query.taskId) filters.push('task_id = {taskId:String}')
  if (query.after) filters.push(AFTER_CURSOR)
  const plan =
    query.useRollups === false
      ? rawPlan(query.projectId, query.range)
      : await planRange(client, query.projectId, query.range)
  const explore = taskFilter(query.filters ?? {})
  if (explore.sql !== '1') filters.push(explore.sql)
  const where = filters.length > 0 ? filters.join(' AND ') : '1'
  const own = {
    name: query.name,
    taskId: query.taskId,
    limit: query.limit,
    ...explore.params,
    ...(query.after ? taskCursorParams(query.after) : {}),
  }
  // The fallback tasks and the bound of the newest rows both need only the plan: in parallel.
  const [rows, bound]: [TaskRowsPlan, string | null] =
    query.useRollups === false
      ? [spansOnlyRows(plan), null]
      : await Promise.all([
          planTaskRows(client, plan),
          newestTotalsHour(client, plan, where, own, query.limit),
        ])
  const params = { ...taskRowsParams(rows), ...own }
  const read = async (sinceHour: string | null) => {
    const result = await client.query({
      query: `${SELECT_AS_TEXT}, from_totals
        FROM (${newestTaskRowsSql(rows, TASK_COLUMNS, where, sinceHour !== null)})
        ORDER BY task_start DESC, task_id`,
      query_params: { ...params, sinceHour },
      format: 'JSONEachRow',
    })
    return result.json<TaskAggregateRow & { from_totals: number }>()
  }
  const sinceHour = rows.useTotals ? bound : null
  let found = await read(sinceHour)
  if (sinceHour !== null && found.filter((row) => row.from_totals === 1).length < query.limit) {
    found = await read(null)
  }
  return found.slice(0, query.limit)
}

/** The listed tasks' summaries, with their calls without usage. */
async function summaries(
  client: ClickHouseClient,
  projectId: string,
  rows: readonly TaskAggregateRow[],
): Promise<TaskSummary[]> {
  const withoutUsage = await countCallsWithoutUsage(client, projectId, rows)
  return rows.map((row) => toTaskSummary(row, withoutUsage.get(row.task_id) ?? 0))
}

/**
 * Model calls without usage per listed task, from the spans of the page's tasks only (between
 * the earliest task start and the latest task end of the page, which hold every span the task
 * rows were made of). The rollups do not count them: a page is at most a few hundred tasks, and
 * such calls are rare, so one bounded read of the spans beats a rollup column and its backfill.
 */
async function countCallsWithoutUsage(
  client: ClickHouseClient,
  projectId: string,
  rows: readonly TaskAggregateRow[],
): Promise<Map<string, number>> {
  if (rows.length === 0) return new Map()
  const from = rows.reduce((min, row) => (row.task_start < min ? row.task_start : min), '9')
  const to = rows.reduce((max, row) => (row.task_end > max ? row.task_end : max), '')
  const result = await client.query({
    query: `SELECT task_id, toString(count()) AS calls FROM spans FINAL
      WHERE project_id = {projectId:String}
        AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')}
        AND task_id IN {taskIds:Array(String)}
        AND kind IN ('llm', 'embedding') AND NOT usage_known
      GROUP BY task_id`,
    query_params: { projectId, from, to, taskIds: rows.map((row) => row.task_id) },
    format: 'JSONEachRow',
  })
  const counts = await result.json<{ task_id: string; calls: string }>()
  return new Map(counts.map((row) => [row.task_id, Number(row.calls)]))
}

export function toTaskSummary(row: TaskAggregateRow, callsWithoutUsage: number): TaskSummary {
  const priced = Number(row.priced_calls)
  const unpriced = Number(row.unpriced_calls)
  return {
    taskId: row.task_id,
    name: row.name,
    startTime: dateTime64ToIso(row.task_start),
    endTime: dateTime64ToIso(row.task_end),
    costUsd: priced === 0 && unpriced > 0 ? null : Number(row.cost),
    unpricedCalls: unpriced,
    llmCalls: Number(row.llm_calls),
    toolCalls: Number(row.tool_calls),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    callsWithoutUsage,
    outcome: row.outcome === 'success' || row.outcome === 'failure' ? row.outcome : '',
  }
}
