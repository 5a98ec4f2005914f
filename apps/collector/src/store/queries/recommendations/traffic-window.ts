import type { ClickHouseClient } from '@clickhouse/client'
import { dateTime64Millis, type TimeRange } from '../time-range'

/**
 * The part of a range that traffic could fill, in milliseconds, which a range's savings are
 * scaled from to a month: from the first hour with a span of the project in the range (not the
 * range's start, or a 30-day range over a week of traffic would show a quarter of the monthly
 * rate a 7-day range shows) to the range's end. The end stays the range's, not the clock's, so
 * that the same request answers the same (dashboard ranges end now anyway). The first hour is
 * read in the table's own order (project, hour), so it costs a granule, not a scan.
 */
export async function trafficWindowMillis(
  client: ClickHouseClient,
  projectId: string,
  range: TimeRange,
): Promise<number> {
  const from = dateTime64Millis(range.from)
  const to = dateTime64Millis(range.to)
  const result = await client.query({
    query: `SELECT toString(toUnixTimestamp(toStartOfHour(start_time))) AS first_hour
      FROM spans
      WHERE project_id = {projectId:String}
        AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')}
      ORDER BY project_id, toStartOfHour(start_time)
      LIMIT 1`,
    query_params: { projectId, ...range },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ first_hour: string }>()
  const start = Math.max(from, row ? Number(row.first_hour) * 1000 : from)
  // No traffic leaves nothing to scale: the whole range, as before any traffic came.
  return to > start ? to - start : to - from
}
