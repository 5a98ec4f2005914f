import { parseError, type ClickHouseClient, type ClickHouseSettings } from '@clickhouse/client'
import { rawInsertOf } from './client'
import type { SpanRecord } from './span-record'

/**
 * Span rows serialized for one INSERT: JSONCompactEachRow lines (one JSON array per row, the
 * column list named once in the statement) rather than JSONEachRow: with ~60 columns the key
 * names were about a quarter of every row's bytes, which both `JSON.stringify` here and the
 * engine's parser paid for.
 */
export interface EncodedRows {
  columns: string[]
  /** `columns` joined, to tell whether two encodings can go in one INSERT. */
  signature: string
  lines: Buffer
  rows: number
}

/**
 * Serializes rows for `insertEncodedRows`; the span writer does it as a request's rows arrive.
 * Each line is written into the buffer as it is, rather than joined into one string first: the
 * joined text of a request (250 KB) was a second copy of every line, flattened in V8's
 * large-object space, and 15 % of the encoding's time.
 */
export function encodeSpanRecords(rows: SpanRecord[]): EncodedRows {
  // Every record comes from `toSpanRecord`, so the first one's keys are every row's columns.
  const columns = rows.length > 0 ? Object.keys(rows[0]!) : []
  const values: unknown[] = new Array(columns.length)
  const lines: string[] = new Array(rows.length)
  let bytes = 0
  for (let index = 0; index < rows.length; index++) {
    const row = rows[index]!
    let line: string
    if (sameKeys(row, columns)) {
      // Values in key order (every row of `toSpanRecord` has its order): one built-in call
      // instead of a lookup by name per column, which V8 could not cache over 60 names.
      line = JSON.stringify(Object.values(row))
    } else {
      for (let column = 0; column < columns.length; column++) values[column] = row[columns[column]!]
      line = JSON.stringify(values)
    }
    lines[index] = line
    bytes += Buffer.byteLength(line) + 1
  }
  const out = Buffer.allocUnsafeSlow(bytes)
  let at = 0
  for (const line of lines) {
    at += out.write(line, at)
    out[at++] = 0x0a
  }
  return { columns, signature: columns.join(','), lines: out, rows: rows.length }
}

function sameKeys(row: SpanRecord, columns: string[]): boolean {
  const keys = Object.keys(row)
  if (keys.length !== columns.length) return false
  for (let index = 0; index < keys.length; index++) if (keys[index] !== columns[index]) return false
  return true
}

/** Encodings of the same columns as one (their lines one after the other). */
export function concatEncoded(parts: EncodedRows[]): EncodedRows {
  if (parts.length === 1) return parts[0]!
  return {
    columns: parts[0]!.columns,
    signature: parts[0]!.signature,
    lines: Buffer.concat(parts.map((part) => part.lines)),
    rows: parts.reduce((total, part) => total + part.rows, 0),
  }
}

export interface InsertOptions {
  table?: string
  settings?: ClickHouseSettings
}

/**
 * One INSERT of span rows into `spans`. The span writer and the ingest benchmark's
 * direct-insert floor both go through here, so the floor always measures the writer's path.
 */
export async function insertSpanRecords(
  client: ClickHouseClient,
  rows: SpanRecord[],
  options: InsertOptions = {},
): Promise<void> {
  if (rows.length === 0) return
  if (rawInsertOf(client)) return insertEncodedRows(client, encodeSpanRecords(rows), options)
  const columns = Object.keys(rows[0]!)
  await client.insert({
    table: options.table ?? 'spans',
    values: rows.map((row) => columns.map((column) => row[column])),
    format: 'JSONCompactEachRow',
    columns: columns as [string, ...string[]],
    clickhouse_settings: options.settings,
  })
}

/**
 * One INSERT of rows already encoded. On the embedded engine the lines are handed over as bytes
 * (see `rawInsertOf`); a server gets them through `client.insert` as a raw body.
 */
export async function insertEncodedRows(
  client: ClickHouseClient,
  encoded: EncodedRows,
  options: InsertOptions = {},
): Promise<void> {
  if (encoded.rows === 0) return
  const table = options.table ?? 'spans'
  const raw = rawInsertOf(client)
  if (!raw) {
    const lines = encoded.lines
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '')
    await client.insert({
      table,
      values: lines.map((line) => JSON.parse(line) as unknown[]),
      format: 'JSONCompactEachRow',
      columns: encoded.columns as [string, ...string[]],
      clickhouse_settings: options.settings,
    })
    return
  }
  try {
    await raw({
      table,
      columns: encoded.columns,
      format: 'JSONCompactEachRow',
      values: encoded.lines,
      settings: {
        // The encoder writes every time as `YYYY-MM-DD hh:mm:ss.nnnnnnnnn`: the basic parser
        // reads that, and costs less per row than the session's `best_effort` (kept for the
        // other inserts, whose times come in other shapes). A query's SETTINGS clause applies
        // to that query alone, on the embedded engine too.
        date_time_input_format: 'basic',
        ...(options.settings as Record<string, string | number | boolean> | undefined),
      },
    })
  } catch (err) {
    // The same error as `client.insert` gives (a ClickHouseError with the engine's code and
    // type), so that callers classify a rejected batch alike on both paths.
    throw err instanceof Error ? parseError(err.message) : err
  }
}
