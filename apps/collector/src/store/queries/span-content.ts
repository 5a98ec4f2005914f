import type { ClickHouseClient } from '@clickhouse/client'
import { isContentAttribute } from '@agentmeter/core'
import type { TimeRange } from './time-range'

/** One captured content attribute of a span, as it was stored (already redacted at ingest). */
export interface ContentField {
  key: string
  value: string
}

export interface SpanContent {
  spanId: string
  traceId: string
  content: ContentField[]
}

/**
 * The captured content of one span of one task of one project. Content lives in the span's
 * `attributes` map, under the keys `isContentAttribute` names (every other attribute is left
 * out, so this route cannot be used to read the rest of the map). `null` when the project has no
 * such span in the range: another project's ids answer exactly as ids that do not exist.
 */
export async function getSpanContent(
  client: ClickHouseClient,
  query: { projectId: string; taskId: string; spanId: string; range: TimeRange },
): Promise<SpanContent | null> {
  const result = await client.query({
    query: `SELECT trace_id, span_id, attributes
      FROM spans FINAL
      WHERE project_id = {projectId:String} AND task_id = {taskId:String}
        AND span_id = {spanId:String}
        AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')}
      ORDER BY start_time
      LIMIT 1`,
    query_params: {
      projectId: query.projectId,
      taskId: query.taskId,
      spanId: query.spanId,
      ...query.range,
    },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{
    trace_id: string
    span_id: string
    attributes: Record<string, string>
  }>()
  if (!row) return null
  const content = Object.entries(row.attributes)
    .filter(([key]) => isContentAttribute(key))
    .map(([key, value]) => ({ key, value }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return { spanId: row.span_id, traceId: row.trace_id, content }
}
