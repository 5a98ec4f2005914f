import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client'
import type { SpanRecord } from './span-record'

/**
 * One INSERT of span rows into `spans`. The span writer and the ingest benchmark's
 * direct-insert floor both go through here, so the floor always measures the writer's format.
 *
 * The rows go as JSONCompactEachRow (one JSON array per row, the column list named once in the
 * statement) rather than JSONEachRow: with ~60 columns the key names were about a quarter of
 * every row's bytes, which both `JSON.stringify` here and the engine's parser paid for.
 */
export async function insertSpanRecords(
  client: ClickHouseClient,
  rows: SpanRecord[],
  options: { table?: string; settings?: ClickHouseSettings } = {},
): Promise<void> {
  if (rows.length === 0) return
  // Every record comes from `toSpanRecord`, so the first one's keys are every row's columns.
  const columns = Object.keys(rows[0]!)
  const values = rows.map((row) => columns.map((column) => row[column]))
  await client.insert({
    table: options.table ?? 'spans',
    values,
    format: 'JSONCompactEachRow',
    columns: columns as [string, ...string[]],
    clickhouse_settings: options.settings,
  })
}
