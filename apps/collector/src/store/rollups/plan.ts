import type { ClickHouseClient } from '@clickhouse/client'
import type { TimeRange } from '../queries/time-range'

const HOUR_MILLIS = 3_600_000

/** A stretch of the range read from the spans themselves, `[from, to)` or `[from, to]`. */
export interface RawInterval {
  from: string
  to: string
  /** True for the stretch that ends at the range's own (inclusive) end. */
  inclusive: boolean
}

/**
 * How a query over a project and time range is served: the hours whose rollup is current
 * (whole hours inside the range, refreshed since their last delivery) from the rollup tables,
 * everything else (the range's partial first and last hours, hours not refreshed yet, hours
 * that got spans after their refresh) from the deduplicated spans.
 */
export interface RangePlan {
  projectId: string
  range: TimeRange
  /** Current rollup hours (`YYYY-MM-DD HH:00:00`) with the refresh that is current for each. */
  freshHours: string[]
  /** Refresh ids are below 2^53 (see `nextRefreshId`), so numbers hold them exactly. */
  freshRefreshIds: number[]
  /** The current hours refreshed without task totals (by an older collector): see task-totals. */
  uncoveredHours: string[]
  uncoveredRefreshIds: number[]
  raw: RawInterval[]
}

/** A plan that reads everything from the spans (what every query did before rollups). */
export function rawPlan(projectId: string, range: TimeRange): RangePlan {
  return {
    projectId,
    range,
    freshHours: [],
    freshRefreshIds: [],
    uncoveredHours: [],
    uncoveredRefreshIds: [],
    raw: [{ from: range.from, to: range.to, inclusive: true }],
  }
}

/**
 * Finds the current rollup hours of a range. An hour is current when the delivery count its
 * refresh saw equals the count now: a span delivered since (even a duplicate, or a repriced
 * version) changes the count, and the hour is read from the spans until it is refreshed again.
 */
export async function planRange(
  client: ClickHouseClient,
  projectId: string,
  range: TimeRange,
): Promise<RangePlan> {
  const result = await client.query({
    query: `SELECT toString(r.hour) AS hour, toString(r.current_refresh) AS refresh_id, r.totals
      FROM (
        SELECT hour, max(refresh_id) AS current_refresh, argMax(delivered, refresh_id) AS stamped,
          argMax(totals, (refresh_id, totals)) AS totals
        FROM rollup_hours
        WHERE project_id = {projectId:String}
          AND hour >= toStartOfHour({from:DateTime64(9, 'UTC')}) AND hour <= {to:DateTime64(9, 'UTC')}
        GROUP BY hour
      ) AS r
      INNER JOIN (
        SELECT hour, sum(rows) AS delivered
        FROM span_deliveries
        WHERE project_id = {projectId:String}
          AND hour >= toStartOfHour({from:DateTime64(9, 'UTC')}) AND hour <= {to:DateTime64(9, 'UTC')}
        GROUP BY hour
      ) AS d ON d.hour = r.hour
      WHERE r.stamped = d.delivered
        AND r.hour >= {from:DateTime64(9, 'UTC')}
        AND r.hour + INTERVAL 1 HOUR <= {to:DateTime64(9, 'UTC')}
      ORDER BY r.hour`,
    query_params: { projectId, ...range },
    format: 'JSONEachRow',
  })
  const fresh = await result.json<{ hour: string; refresh_id: string; totals: number }>()
  const uncovered = fresh.filter((row) => row.totals !== 1)
  return {
    projectId,
    range,
    freshHours: fresh.map((row) => row.hour),
    freshRefreshIds: fresh.map((row) => Number(row.refresh_id)),
    uncoveredHours: uncovered.map((row) => row.hour),
    uncoveredRefreshIds: uncovered.map((row) => Number(row.refresh_id)),
    raw: rawIntervals(
      range,
      fresh.map((row) => row.hour),
    ),
  }
}

/** The range minus the given whole hours (sorted), as maximal stretches. */
export function rawIntervals(range: TimeRange, freshHours: readonly string[]): RawInterval[] {
  const toMillis = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`)
  const format = (millis: number) => {
    const iso = new Date(millis).toISOString()
    return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`
  }
  const intervals: RawInterval[] = []
  let cursor = toMillis(range.from)
  let cursorText = range.from
  for (const hour of freshHours) {
    const start = toMillis(hour)
    if (start > cursor) intervals.push({ from: cursorText, to: format(start), inclusive: false })
    cursor = start + HOUR_MILLIS
    cursorText = format(cursor)
  }
  if (cursor <= toMillis(range.to)) {
    intervals.push({ from: cursorText, to: range.to, inclusive: true })
  }
  return intervals
}

/** Query parameters of a plan's SQL (`planSql`), named apart from the caller's own. */
export function planParams(plan: RangePlan): Record<string, unknown> {
  const params: Record<string, unknown> = {
    projectId: plan.projectId,
    from: plan.range.from,
    to: plan.range.to,
    freshHours: plan.freshHours,
    freshRefreshIds: plan.freshRefreshIds,
    uncoveredHours: plan.uncoveredHours,
    uncoveredRefreshIds: plan.uncoveredRefreshIds,
  }
  plan.raw.forEach((interval, i) => {
    params[`rawFrom${i}`] = interval.from
    params[`rawTo${i}`] = interval.to
  })
  return params
}

/** The condition on `spans` for the raw part of a plan (false when there is none). */
export function rawSpansCondition(plan: RangePlan): string {
  if (plan.raw.length === 0) return '0'
  const stretches = plan.raw.map(
    (interval, i) =>
      `(start_time >= {rawFrom${i}:DateTime64(9, 'UTC')} AND start_time ${interval.inclusive ? '<=' : '<'} {rawTo${i}:DateTime64(9, 'UTC')})`,
  )
  return `project_id = {projectId:String} AND (${stretches.join(' OR ')})`
}

/** The condition on a rollup table for the current hours of a plan. */
export function rollupCondition(): string {
  return `project_id = {projectId:String} AND hour IN {freshHours:Array(DateTime('UTC'))}
    AND (hour, refresh_id) IN arrayZip(
      {freshHours:Array(DateTime('UTC'))}, {freshRefreshIds:Array(UInt64)})`
}
