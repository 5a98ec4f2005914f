import type { ClickHouseClient } from '@clickhouse/client'
import { usdToPico } from '@agentmeter/core'
import { rawIntervals, type RangePlan, type RawInterval } from '../../rollups/plan'
import type { TimeRange } from '../time-range'
import { withExampleLimit, type DetectorRow, type HotspotCause } from './detector'

/**
 * Hotspots by the hour. A detector's verdict on a call depends only on the spans within two
 * hours of it (`CONTEXT_BEFORE_SECONDS`, `CONTEXT_AFTER_SECONDS`), so the rows of an hour are
 * fixed by the spans of that hour and the two on either side: the refresher stores them in
 * `hotspot_parts`, stamped with the delivery count of those five hours, and a query adds up
 * the parts of the hours whose count is unchanged and runs the detectors on the rest.
 */
export const DEPENDENCY_HOURS = 2

/**
 * The version of the detectors' rules that parts are computed by, stamped on each hour
 * (`hotspot_hours.rules`, migration 92). Raise it with any change of a detector's verdicts:
 * stored hours of other rules are then no longer current, so readers search them on the spans
 * and the refresher computes them again. 1: cache breakers pair a call with the call it
 * continues (hours stamped before read 0). 2: a call served all of its eligible prefix but the
 * token estimate's error is no missed cache and no breaker (`servedLessThanSql`).
 */
export const HOTSPOT_RULES = 2

/**
 * An hour's stamp as the change detector compares it with the deliveries: the delivery count
 * its current refresh saw, or 0 (never a count) when other rules computed it.
 */
export const HOTSPOT_STAMP_SQL = `if(argMax(rules, refresh_id) = ${HOTSPOT_RULES},
  argMax(delivered, refresh_id), 0)`

/** The delivery count of each hour's dependency (the hour and `DEPENDENCY_HOURS` each side). */
export const DEPENDENCY_SQL = `
  SELECT project_id, hour,
    sum(own) OVER w AS delivered,
    max(last_delivery) OVER w AS last_delivery
  FROM (
    SELECT project_id, hour, sum(rows) AS own, max(last_ingested_at) AS last_delivery
    FROM span_deliveries
    WHERE WHERE_DELIVERIES
    GROUP BY project_id, hour
  )
  WINDOW w AS (PARTITION BY project_id ORDER BY toUInt32(hour)
    RANGE BETWEEN ${DEPENDENCY_HOURS * 3600} PRECEDING AND ${DEPENDENCY_HOURS * 3600} FOLLOWING)`

/**
 * The hours of a range whose parts are current: whole hours inside the range whose stamp
 * equals their dependency's delivery count now, computed by the current rules. Counts only
 * grow (a span delivered again, or repriced, is one more delivery), so an equal sum means no
 * hour of the dependency changed.
 */
export async function planHotspotRange(
  client: ClickHouseClient,
  projectId: string,
  range: TimeRange,
): Promise<RangePlan> {
  const margin = `INTERVAL ${DEPENDENCY_HOURS} HOUR`
  const result = await client.query({
    query: `SELECT toString(h.hour) AS hour, toString(h.current_refresh) AS refresh_id
      FROM (
        SELECT hour, max(refresh_id) AS current_refresh, ${HOTSPOT_STAMP_SQL} AS stamped
        FROM hotspot_hours
        WHERE project_id = {projectId:String}
          AND hour >= {from:DateTime64(9, 'UTC')}
          AND hour + INTERVAL 1 HOUR <= {to:DateTime64(9, 'UTC')}
        GROUP BY hour
      ) AS h
      INNER JOIN (${DEPENDENCY_SQL.replace(
        'WHERE_DELIVERIES',
        `project_id = {projectId:String}
          AND hour >= toStartOfHour({from:DateTime64(9, 'UTC')}) - ${margin}
          AND hour <= {to:DateTime64(9, 'UTC')} + ${margin}`,
      )}) AS d ON d.hour = h.hour
      WHERE h.stamped = d.delivered
      ORDER BY h.hour`,
    query_params: { projectId, ...range },
    format: 'JSONEachRow',
  })
  const fresh = await result.json<{ hour: string; refresh_id: string }>()
  const hours = fresh.map((row) => row.hour)
  return {
    projectId,
    range,
    freshHours: hours,
    freshRefreshIds: fresh.map((row) => Number(row.refresh_id)),
    // Task totals are no concern of the hotspot parts.
    uncoveredHours: [],
    uncoveredRefreshIds: [],
    raw: withSpans(rawIntervals(range, hours), await deliveredHours(client, projectId, range)),
  }
}

async function deliveredHours(
  client: ClickHouseClient,
  projectId: string,
  range: TimeRange,
): Promise<number[]> {
  const result = await client.query({
    query: `SELECT toString(hour) AS hour_text FROM span_deliveries
      WHERE project_id = {projectId:String}
        AND hour >= toStartOfHour({from:DateTime64(9, 'UTC')}) AND hour <= {to:DateTime64(9, 'UTC')}
      GROUP BY hour`,
    query_params: { projectId, ...range },
    format: 'JSONEachRow',
  })
  return (await result.json<{ hour_text: string }>()).map((row) => millis(row.hour_text))
}

function millis(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}Z`)
}

/**
 * The stretches that hold spans at all: one in hours without a delivery has no call to price
 * (its context may, but only its own calls are priced), so the detectors need not run on it.
 */
function withSpans(intervals: RawInterval[], hours: readonly number[]): RawInterval[] {
  return intervals.filter((interval) => {
    const from = millis(interval.from)
    const to = millis(interval.to)
    return hours.some((hour) => hour <= to && hour + 3_600_000 > from)
  })
}

interface PartRow {
  cause: HotspotCause
  task_name: string
  step: string
  provider: string
  model: string
  tool: string
  detail: string
  day: string
  is_cache: boolean
  occurrences: string
  wasted: string
  missed: string
  written: string
  example_tasks: string[]
  example_spans: string[]
  example_span_tasks: string[]
}

const CURRENT_PARTS = `project_id = {projectId:String} AND hour IN {freshHours:Array(DateTime('UTC'))}
  AND (hour, refresh_id) IN arrayZip(
    {freshHours:Array(DateTime('UTC'))}, {freshRefreshIds:Array(UInt64)})`

/** The summed parts of a plan's current hours, as detector rows, and those hours' spend. */
export async function readParts(
  client: ClickHouseClient,
  plan: RangePlan,
  exampleLimit: number,
): Promise<{ rows: DetectorRow[]; spendPico: bigint }> {
  if (plan.freshHours.length === 0) return { rows: [], spendPico: 0n }
  const params = {
    projectId: plan.projectId,
    freshHours: plan.freshHours,
    freshRefreshIds: plan.freshRefreshIds,
  }
  const parts = await client.query({
    query: withExampleLimit(
      `SELECT cause, task_name, step, provider, model, tool, detail, toString(day) AS day,
        is_cache, toString(sum(occurrences)) AS occurrences, toString(sum(wasted)) AS wasted,
        toString(sum(missed_tokens)) AS missed, toString(sum(write_tokens)) AS written,
        arraySlice(groupUniqArrayArray(example_tasks), 1, EXAMPLES) AS example_tasks,
        arraySlice(groupArrayArray(example_spans), 1, EXAMPLES) AS example_spans,
        arraySlice(groupArrayArray(example_span_tasks), 1, EXAMPLES) AS example_span_tasks
      FROM hotspot_parts
      WHERE ${CURRENT_PARTS}
      GROUP BY cause, task_name, step, provider, model, tool, detail, day, is_cache`,
      exampleLimit,
    ),
    query_params: params,
    format: 'JSONEachRow',
  })
  const spend = await client.query({
    query: `SELECT toString(sum(spend)) AS spend FROM hotspot_hours WHERE ${CURRENT_PARTS}`,
    query_params: params,
    format: 'JSONEachRow',
  })
  const [total] = await spend.json<{ spend: string | null }>()
  return {
    rows: (await parts.json<PartRow>()).map(toDetectorRow),
    spendPico: total?.spend ? usdToPico(total.spend) : 0n,
  }
}

function toDetectorRow(row: PartRow): DetectorRow {
  return {
    cause: row.cause,
    taskName: row.task_name,
    step: row.step,
    model: row.model,
    tool: row.tool,
    detail: row.detail,
    day: row.day,
    occurrences: Number(row.occurrences),
    wastedPico: row.is_cache ? 0n : usdToPico(row.wasted),
    exampleTaskIds: row.example_tasks,
    exampleSpanIds: row.example_spans,
    exampleSpanTasks: row.example_span_tasks,
    ...(row.is_cache
      ? {
          cacheTokens: {
            provider: row.provider,
            missed: BigInt(row.missed),
            written: BigInt(row.written),
          },
        }
      : {}),
  }
}

/**
 * Adds up rows of the same hotspot, day and provider (parts of several hours, and the rows the
 * detectors found in the stretches read from the spans), so a cache row is priced once over
 * its summed tokens, as a single pass over the spans would price it.
 */
export function sumRows(rows: readonly DetectorRow[], exampleLimit: number): DetectorRow[] {
  const sums = new Map<string, DetectorRow>()
  for (const row of rows) {
    const key = [
      row.cause,
      row.taskName,
      row.step,
      row.model,
      row.tool,
      row.detail,
      row.day,
      row.cacheTokens?.provider ?? '',
    ].join('\u0000')
    const into = sums.get(key)
    if (!into) {
      sums.set(key, row)
      continue
    }
    sums.set(key, {
      ...into,
      occurrences: into.occurrences + row.occurrences,
      wastedPico: into.wastedPico + row.wastedPico,
      exampleTaskIds: [...new Set([...into.exampleTaskIds, ...row.exampleTaskIds])].slice(
        0,
        exampleLimit,
      ),
      exampleSpanIds: [...into.exampleSpanIds, ...row.exampleSpanIds].slice(0, exampleLimit),
      exampleSpanTasks: [...into.exampleSpanTasks, ...row.exampleSpanTasks].slice(0, exampleLimit),
      ...(into.cacheTokens && row.cacheTokens
        ? {
            cacheTokens: {
              provider: into.cacheTokens.provider,
              missed: into.cacheTokens.missed + row.cacheTokens.missed,
              written: into.cacheTokens.written + row.cacheTokens.written,
            },
          }
        : {}),
    })
  }
  return [...sums.values()]
}
