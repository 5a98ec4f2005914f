import type { ClickHouseClient } from '@clickhouse/client'
import { planParams, rawSpansCondition, type RangePlan } from '../rollups/plan'
import type { TaskColumn } from '../rollups/task-partials'
import { taskAggregateSql } from './task-aggregate'

/**
 * How a task view reads a plan: the tasks whose totals row (`rollups/task-totals.ts`) is
 * usable from that row, every other task (`fallback`) from its parts as `taskAggregateSql`
 * does. Same rows as the aggregate over the spans, without merging every task's parts.
 */
export interface TaskRowsPlan {
  plan: RangePlan
  /** False when the plan has no current hour: then every task comes from its parts. */
  useTotals: boolean
  /** Tasks the totals must not answer for (ids, usually few). */
  fallback: string[]
  /**
   * Whether any fallback task has spans in a stretch read from the spans. Usually none does
   * (they fall back for a part outside the range, or a start before it), and then their parts
   * are combined without the `spans FINAL` read, which is most of that branch's time.
   */
  fallbackInSpans: boolean
}

/**
 * Above this many fallback tasks (a long stretch without rollups) the totals save nothing,
 * and the ids would only make a long query parameter: every task is read from its parts.
 */
const MAX_FALLBACK = 20_000

/** `task_totals` rows of the plan's project whose hour is in the range. */
const TOTALS_SCOPE = `project_id = {projectId:String}
    AND hour >= toStartOfHour({from:DateTime64(9, 'UTC')}) AND hour <= {to:DateTime64(9, 'UTC')}`

const FRESH_PAIRS = `arrayZip({freshHours:Array(DateTime('UTC'))}, {freshRefreshIds:Array(UInt64)})`

/**
 * A totals row combined only current parts of the range. One part (most tasks, and then the
 * part's hour is the row's) is one set lookup; the few tasks across hours look each part's
 * hour up (`transform` over constant arrays is a hash lookup, where `has` would scan them).
 */
const TOTALS_CURRENT = `if(length(part_hours) = 1,
    (hour, part_refresh_ids[1]) IN ${FRESH_PAIRS},
    arrayAll((h, r) -> transform(h, {freshHours:Array(DateTime('UTC'))},
      {freshRefreshIds:Array(UInt64)}, toUInt64(0)) = r, part_hours, part_refresh_ids))`

/** A totals row that is its task's own, current and listed (the fallback not excluded). */
const TOTALS_CURRENT_ROW = `${TOTALS_SCOPE} AND is_first = 1 AND listed = 1 AND ${TOTALS_CURRENT}`

/** A usable totals row: the task's own, current, listed, and not a fallback task. */
export const TOTALS_USABLE = `${TOTALS_CURRENT_ROW} AND task_id NOT IN {fallback:Array(String)}`

/**
 * Finds the tasks the totals cannot answer for: those with spans in a stretch read from the
 * spans, those whose totals row names a part that is not current (or outside the range), those
 * that started before the range (only a marker is in it), and those of current hours refreshed
 * without totals.
 */
export async function planTaskRows(
  client: ClickHouseClient,
  plan: RangePlan,
): Promise<TaskRowsPlan> {
  if (plan.freshHours.length === 0) return spansOnlyRows(plan)
  const sources = [
    `SELECT task_id, 1 AS in_spans FROM spans WHERE ${rawSpansCondition(plan)}`,
    `SELECT task_id, 0 AS in_spans FROM task_totals FINAL WHERE ${TOTALS_SCOPE}
      AND if(is_first = 1, NOT ${TOTALS_CURRENT},
        first_hour < toStartOfHour({from:DateTime64(9, 'UTC')}))`,
  ]
  if (plan.uncoveredHours.length > 0) {
    sources.push(`SELECT task_id, 0 AS in_spans FROM task_hours WHERE project_id = {projectId:String}
      AND (hour, refresh_id) IN arrayZip(
        {uncoveredHours:Array(DateTime('UTC'))}, {uncoveredRefreshIds:Array(UInt64)})`)
  }
  const result = await client.query({
    query: `SELECT task_id, max(in_spans) FROM (${sources.join('\n      UNION ALL\n      ')})
      GROUP BY task_id
      LIMIT {limit:UInt32}`,
    query_params: { ...planParams(plan), limit: MAX_FALLBACK + 1 },
    format: 'JSONCompactEachRow',
  })
  const found = await result.json<[string, number]>()
  if (found.length > MAX_FALLBACK) return spansOnlyRows(plan)
  return {
    plan,
    useTotals: true,
    fallback: found.map(([taskId]) => taskId),
    fallbackInSpans: found.some(([, inSpans]) => Number(inSpans) === 1),
  }
}

/** Every task from its parts (and the spans): no totals row is used. */
export function spansOnlyRows(plan: RangePlan): TaskRowsPlan {
  return { plan, useTotals: false, fallback: [], fallbackInSpans: true }
}

/**
 * The plan the fallback tasks' parts are combined over: without the spans when none of them
 * has a span there. The spans read without FINAL found none; FINAL only removes rows, so the
 * spans read with FINAL would add nothing. (A span delivered after that read is as if it came
 * just after this request: its hour is no longer current, and the next request reads it.)
 */
export function fallbackPlan(rows: TaskRowsPlan): RangePlan {
  return rows.fallbackInSpans ? rows.plan : { ...rows.plan, raw: [] }
}

/**
 * The fallback tasks, and their parts: only the hours the index lists for them are read, and
 * the hours refreshed without an index.
 */
export const FALLBACK_TASKS = 'task_id IN {fallback:Array(String)}'
export const FALLBACK_PARTS = `task_id IN {fallback:Array(String)} AND (hour IN (
    SELECT hour FROM task_hour_index
    WHERE project_id = {projectId:String} AND task_id IN {fallback:Array(String)})
  OR (hour, refresh_id) IN arrayZip(
    {uncoveredHours:Array(DateTime('UTC'))}, {uncoveredRefreshIds:Array(UInt64)}))`

/** Query parameters of `taskRowsSql` and `TOTALS_USABLE`. */
export function taskRowsParams(rows: TaskRowsPlan): Record<string, unknown> {
  return { ...planParams(rows.plan), fallback: rows.fallback }
}

/**
 * One row per listed task of the plan, columns `task_id` and the asked ones, as
 * `taskAggregateSql` gives them.
 */
export function taskRowsSql(rows: TaskRowsPlan, columns: readonly TaskColumn[]): string {
  if (!rows.useTotals) return taskAggregateSql(rows.plan, columns)
  const list = ['task_id', ...columns].join(', ')
  const fromTotals = `SELECT ${list} FROM task_totals FINAL WHERE ${TOTALS_USABLE}`
  if (rows.fallback.length === 0) return fromTotals
  const fromParts = `SELECT ${list} FROM (${taskAggregateSql(
    fallbackPlan(rows),
    columns,
    FALLBACK_TASKS,
    FALLBACK_PARTS,
  )})`
  return `${fromTotals}\n  UNION ALL\n  ${fromParts}`
}

/**
 * The `limit` newest of those rows that pass `where` (by start, then id), for the task list,
 * with `from_totals` (1 for a row read from the totals). `sinceHour` bounds the totals rows:
 * a totals row sits at its task's start hour, so when at least `limit` of them are at or
 * after that hour, no older one can be among the newest.
 */
export function newestTaskRowsSql(
  rows: TaskRowsPlan,
  columns: readonly TaskColumn[],
  where: string,
  sinceHour: boolean,
): string {
  const list = ['task_id', ...columns].join(', ')
  const newest = 'ORDER BY task_start DESC, task_id LIMIT {limit:UInt32}'
  const parts = (plan: RangePlan, condition: string, rollupCondition = condition) =>
    `SELECT ${list}, 0 AS from_totals
    FROM (${taskAggregateSql(plan, columns, condition, rollupCondition)})
    WHERE ${where} ${newest}`
  if (!rows.useTotals) return parts(rows.plan, '1')
  const fromTotals = `SELECT ${list}, 1 AS from_totals FROM task_totals FINAL
    WHERE ${TOTALS_USABLE} AND ${where}
      ${sinceHour ? "AND hour >= {sinceHour:DateTime('UTC')}" : ''}
    ${newest}`
  if (rows.fallback.length === 0) return fromTotals
  return `SELECT * FROM (${fromTotals})
  UNION ALL
  SELECT * FROM (${parts(fallbackPlan(rows), FALLBACK_TASKS, FALLBACK_PARTS)})`
}

/**
 * The start hour of the `limit`-th newest current totals row, read along the sort key
 * backwards without FINAL (so it stops early). It needs only the plan, so it runs beside
 * `planTaskRows`: a row replaced but not merged away yet, or a fallback task's row, can only
 * make the bound too recent, which the caller detects (fewer than `limit` usable rows at or
 * after it) and then reads again without the bound.
 */
export async function newestTotalsHour(
  client: ClickHouseClient,
  plan: RangePlan,
  where: string,
  params: Record<string, unknown>,
  limit: number,
): Promise<string | null> {
  if (plan.freshHours.length === 0 || limit === 0) return null
  const result = await client.query({
    query: `SELECT toString(hour) AS hour_text FROM task_totals
      WHERE ${TOTALS_CURRENT_ROW} AND ${where}
      ORDER BY hour DESC LIMIT 1 OFFSET {offset:UInt32}`,
    query_params: { ...params, ...planParams(plan), offset: limit - 1 },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ hour_text: string }>()
  return row?.hour_text ?? null
}
