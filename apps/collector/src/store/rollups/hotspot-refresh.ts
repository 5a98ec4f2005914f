import type { ClickHouseClient } from '@clickhouse/client'
import { picoToUsd } from '@agentmeter/core'
import { runDetectors, targetSpendPico } from '../queries/hotspots'
import { DEFAULT_DUPLICATE_WINDOW_SECONDS } from '../queries/hotspots/detector'
import { DEPENDENCY_SQL, HOTSPOT_RULES, HOTSPOT_STAMP_SQL } from '../queries/hotspots/parts'
import {
  findUnstampedHours,
  nextRefreshId,
  refreshByDays,
  type RefreshOptions,
  type RefreshResult,
  type StaleHour,
} from './refresh'

/** Example ids kept per part row (a query keeps at most this many per hotspot from parts). */
const PART_EXAMPLES = 5
const HOUR_MILLIS = 3_600_000

/**
 * Rewrites the hotspot parts of stale hours: hours whose dependency (the hour and two on either
 * side) got deliveries since their parts were computed, once the last of those has settled, and
 * hours computed by other detector rules (`HOTSPOT_RULES`).
 * As for the task rollups, the dependency's count is read before the spans and again after,
 * and an hour is stamped only if it did not move meanwhile.
 */
export async function refreshHotspotHours(
  client: ClickHouseClient,
  options: RefreshOptions,
): Promise<RefreshResult> {
  const stale = await findStaleHours(client, options.settleMillis)
  const chosen = stale.slice(0, options.maxHours)
  await refreshByDays(chosen, (projectId, hours) => refreshHours(client, projectId, hours))
  return { hours: chosen.length, remaining: stale.length - chosen.length }
}

function findStaleHours(client: ClickHouseClient, settleMillis: number): Promise<StaleHour[]> {
  return findUnstampedHours(
    client,
    settleMillis,
    DEPENDENCY_SQL.replace('WHERE_DELIVERIES', '1'),
    'hotspot_hours',
    HOTSPOT_STAMP_SQL,
  )
}

function literal(millis: number): string {
  return new Date(millis).toISOString().replace('T', ' ').replace('Z', '')
}

async function refreshHours(
  client: ClickHouseClient,
  projectId: string,
  hours: StaleHour[],
): Promise<void> {
  const refreshId = nextRefreshId()
  const starts = hours.map((hour) => Date.parse(`${hour.hour.replace(' ', 'T')}Z`))
  const target = starts.map((start) => ({
    from: literal(start),
    to: literal(start + HOUR_MILLIS),
    inclusive: false,
  }))
  const range = {
    from: literal(Math.min(...starts)),
    to: literal(Math.max(...starts) + HOUR_MILLIS),
  }
  const query = {
    projectId,
    range,
    duplicateWindowSeconds: DEFAULT_DUPLICATE_WINDOW_SECONDS,
    exampleLimit: PART_EXAMPLES,
    target,
    bucket: 'hour' as const,
  }
  const rows = await runDetectors(client, query)
  if (rows.length > 0) {
    await client.insert({
      table: 'hotspot_parts',
      values: rows.map((row) => ({
        project_id: projectId,
        hour: row.day,
        refresh_id: refreshId,
        cause: row.cause,
        task_name: row.taskName,
        step: row.step,
        provider: row.cacheTokens?.provider ?? '',
        model: row.model,
        tool: row.tool,
        detail: row.detail,
        day: row.day.slice(0, 10),
        is_cache: row.cacheTokens !== undefined,
        occurrences: row.occurrences,
        wasted: picoToUsd(row.wastedPico),
        missed_tokens: String(row.cacheTokens?.missed ?? 0n),
        write_tokens: String(row.cacheTokens?.written ?? 0n),
        example_tasks: row.exampleTaskIds,
        example_spans: row.exampleSpanIds,
        example_span_tasks: row.exampleSpanTasks,
      })),
      format: 'JSONEachRow',
    })
  }
  const spend = await Promise.all(
    target.map((interval) => targetSpendPico(client, { ...query, target: [interval] })),
  )
  const now = new Map(
    (await dependencyCounts(client, projectId, range)).map((row) => [row.hour, row.delivered]),
  )
  const unchanged = hours
    .map((hour, i) => ({ hour, spend: spend[i]! }))
    .filter(({ hour }) => now.get(hour.hour) === hour.delivered)
  if (unchanged.length === 0) return
  await client.insert({
    table: 'hotspot_hours',
    values: unchanged.map(({ hour, spend: pico }) => ({
      project_id: projectId,
      hour: hour.hour,
      refresh_id: refreshId,
      delivered: hour.delivered,
      spend: picoToUsd(pico),
      rules: HOTSPOT_RULES,
    })),
    format: 'JSONEachRow',
  })
}

async function dependencyCounts(
  client: ClickHouseClient,
  projectId: string,
  range: { from: string; to: string },
): Promise<Array<{ hour: string; delivered: string }>> {
  const result = await client.query({
    query: `SELECT toString(hour) AS hour, toString(delivered) AS delivered
      FROM (${DEPENDENCY_SQL.replace(
        'WHERE_DELIVERIES',
        `project_id = {projectId:String}
          AND hour >= toStartOfHour({from:DateTime64(9, 'UTC')}) - INTERVAL 2 HOUR
          AND hour <= {to:DateTime64(9, 'UTC')} + INTERVAL 2 HOUR`,
      )})`,
    query_params: { projectId, ...range },
    format: 'JSONEachRow',
  })
  return result.json()
}
