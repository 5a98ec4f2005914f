import type { ClickHouseClient } from '@clickhouse/client'
import { refreshHotspotHours } from './hotspot-refresh'
import { refreshStepHours } from './step-refresh'
import {
  TASK_MODEL_PARTIAL_SQL,
  TASK_MODEL_UNPRICED_SQL,
  TASK_PARTIAL_COLUMNS,
  TASK_PARTIAL_SQL,
  UNPRICED_CALL_SQL,
} from './task-partials'
import { refreshTaskTotals } from './task-totals'

export interface RefreshOptions {
  /** Leave an hour alone until this long after its last delivery (it is likely still filling). */
  settleMillis: number
  /** Hours refreshed per call at most, oldest first. */
  maxHours: number
}

export interface RefreshResult {
  /** Hours whose rollup was rewritten. */
  hours: number
  /** Settled stale hours left for a later call (beyond `maxHours`). */
  remaining: number
}

export interface StaleHour {
  project_id: string
  hour: string
  delivered: string
}

let lastRefreshId = 0

/**
 * Increasing refresh ids (microseconds since the epoch, bumped when two come in the same
 * microsecond): below 2^53, so they survive a JSON number, and newer than any earlier refresh
 * of this store as long as the clock does not go back by more than a refresh takes.
 */
export function nextRefreshId(): number {
  lastRefreshId = Math.max(lastRefreshId + 1, Date.now() * 1000)
  return lastRefreshId
}

/**
 * Rewrites the rollups of stale hours from the deduplicated spans. The delivery count is read
 * before the spans and again after: an hour whose count moved meanwhile is left stale (served
 * from the spans) for the next round, and anything delivered later raises the count above the
 * stamped one. The hour's `rollup_hours` row is written last, so no reader uses a refresh
 * before its rows are all there.
 *
 * One assumption remains, and the settle time covers it: ClickHouse commits an insert to the
 * spans and to the delivery view separately, in either order. An hour is refreshed only once
 * its last delivery is `settleMillis` old, so an insert would have to stall that long between
 * its two commits for a refresh to see its count without its rows.
 */
export async function refreshStaleHours(
  client: ClickHouseClient,
  options: RefreshOptions,
): Promise<RefreshResult> {
  const stale = await findStaleHours(client, options.settleMillis)
  const chosen = stale.slice(0, options.maxHours)
  await refreshByDays(chosen, (projectId, hours) => refreshHours(client, projectId, hours))
  // The hotspot parts of the same hours (their own stamps; a backlog of theirs is remaining).
  const hotspots = await refreshHotspotHours(client, options)
  return { hours: chosen.length, remaining: stale.length - chosen.length + hotspots.remaining }
}

/**
 * Runs `refresh` project by project on a day's worth of hours at a time: one scan of the spans
 * per statement instead of one per hour.
 */
export async function refreshByDays<T extends { project_id: string }>(
  hours: readonly T[],
  refresh: (projectId: string, hours: T[]) => Promise<void>,
): Promise<void> {
  const byProject = new Map<string, T[]>()
  for (const hour of hours) {
    byProject.set(hour.project_id, [...(byProject.get(hour.project_id) ?? []), hour])
  }
  for (const [projectId, projectHours] of byProject) {
    for (let i = 0; i < projectHours.length; i += 24) {
      await refresh(projectId, projectHours.slice(i, i + 24))
    }
  }
}

/** Per-project and hour delivery counts of the spans table (the rollups' change detector). */
const SPAN_DELIVERIES_SQL = `SELECT project_id, hour, sum(rows) AS delivered,
        max(last_ingested_at) AS last_delivery
      FROM span_deliveries
      GROUP BY project_id, hour`

function findStaleHours(client: ClickHouseClient, settleMillis: number): Promise<StaleHour[]> {
  return findUnstampedHours(client, settleMillis, SPAN_DELIVERIES_SQL, 'rollup_hours')
}

/**
 * The settled hours whose delivery count (`deliveriesSql`: project_id, hour, delivered,
 * last_delivery) differs from the one last stamped in `stampTable` by a refresh, oldest first.
 * `stampSql` aggregates an hour's stamp rows into the count it compares (0 never matches).
 */
export async function findUnstampedHours(
  client: ClickHouseClient,
  settleMillis: number,
  deliveriesSql: string,
  stampTable: string,
  stampSql = 'argMax(delivered, refresh_id)',
): Promise<StaleHour[]> {
  const result = await client.query({
    query: `SELECT d.project_id AS project_id, toString(d.hour) AS hour,
        toString(d.delivered) AS delivered
      FROM (${deliveriesSql}) AS d
      LEFT JOIN (
        SELECT project_id, hour, ${stampSql} AS refreshed
        FROM ${stampTable}
        GROUP BY project_id, hour
      ) AS r ON r.project_id = d.project_id AND r.hour = d.hour
      WHERE r.refreshed != d.delivered
        AND d.last_delivery <= now64(3) - toIntervalMillisecond({settle:UInt32})
      ORDER BY d.hour, d.project_id`,
    query_params: { settle: settleMillis },
    format: 'JSONEachRow',
  })
  return result.json<StaleHour>()
}

async function refreshHours(
  client: ClickHouseClient,
  projectId: string,
  hours: StaleHour[],
): Promise<void> {
  const refreshId = nextRefreshId()
  const params = {
    projectId,
    hours: hours.map((hour) => hour.hour),
    refreshId,
  }
  const where = `project_id = {projectId:String}
    AND toStartOfHour(start_time) IN {hours:Array(DateTime('UTC'))}`
  await client.command({
    query: `INSERT INTO task_hours (project_id, hour, task_id, refresh_id, ${TASK_PARTIAL_COLUMNS.join(', ')})
      SELECT {projectId:String}, toStartOfHour(start_time) AS hour, task_id,
        {refreshId:UInt64}, ${TASK_PARTIAL_SQL}
      FROM spans FINAL
      WHERE ${where}
      GROUP BY hour, task_id`,
    query_params: params,
  })
  await client.command({
    query: `INSERT INTO task_model_hours (project_id, hour, task_id, provider, model, p_cost, refresh_id)
      SELECT {projectId:String}, toStartOfHour(start_time) AS hour, ${TASK_MODEL_PARTIAL_SQL},
        {refreshId:UInt64}
      FROM spans FINAL
      WHERE ${where} AND kind IN ('llm', 'embedding')
      GROUP BY hour, task_id, provider, model`,
    query_params: params,
  })
  await client.command({
    query: `INSERT INTO task_model_unpriced_hours
        (project_id, hour, task_id, provider, model, p_unpriced_calls, refresh_id)
      SELECT {projectId:String}, toStartOfHour(start_time) AS hour, ${TASK_MODEL_UNPRICED_SQL},
        {refreshId:UInt64}
      FROM spans FINAL
      WHERE ${where} AND ${UNPRICED_CALL_SQL}
      GROUP BY hour, task_id, provider, model`,
    query_params: params,
  })
  // Before the hours are marked current: readers then never see new parts without their totals
  // and step parts.
  await refreshTaskTotals(client, params)
  await refreshStepHours(client, params, where)
  const now = new Map(
    (await deliveredCounts(client, projectId, params.hours)).map((row) => [
      row.hour_text,
      row.delivered,
    ]),
  )
  const unchanged = hours.filter((hour) => now.get(hour.hour) === hour.delivered)
  if (unchanged.length === 0) return
  await client.insert({
    table: 'rollup_hours',
    values: unchanged.map((hour) => ({
      project_id: projectId,
      hour: hour.hour,
      refresh_id: refreshId,
      delivered: hour.delivered,
      totals: 1,
    })),
    format: 'JSONEachRow',
  })
}

async function deliveredCounts(
  client: ClickHouseClient,
  projectId: string,
  hours: string[],
): Promise<Array<{ hour_text: string; delivered: string }>> {
  const result = await client.query({
    // Not `AS hour`: the alias would replace the column in the WHERE clause.
    query: `SELECT toString(hour) AS hour_text, toString(sum(rows)) AS delivered
      FROM span_deliveries
      WHERE project_id = {projectId:String} AND hour IN {hours:Array(DateTime('UTC'))}
      GROUP BY hour`,
    query_params: { projectId, hours },
    format: 'JSONEachRow',
  })
  return result.json()
}
