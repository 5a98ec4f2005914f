import { createHash } from 'node:crypto'
import type { SpanRecord } from './span-record'

/**
 * Columns that name a span and the values a re-delivery repeats. Together they are what the
 * spans table's ReplacingMergeTree treats as one span (project, hour of start, trace, span),
 * plus the figures a reprice changes, so that a repriced copy is never mistaken for a retry.
 */
const TOKEN_COLUMNS = [
  'project_id',
  'trace_id',
  'span_id',
  'start_time',
  'end_time',
  'cost_usd',
  'price_catalog',
  'input_tokens',
  'output_tokens',
] as const

/**
 * ClickHouse's `insert_deduplication_token` for a batch, derived from its content: the same
 * spans in the same order give the same token, so an insert retried after an unknown outcome
 * (a timeout, a crash before the spool entry was removed) is skipped by the table instead of
 * stored twice. It hashes the identifying columns rather than the whole rows to keep the
 * ingest path cheap; two batches equal on them hold the same spans.
 */
export function dedupToken(records: readonly SpanRecord[]): string {
  const hash = createHash('sha256')
  for (const record of records) {
    for (const column of TOKEN_COLUMNS) hash.update(`${String(record[column] ?? '')}\u0000`)
    hash.update('\n')
  }
  return `spans-${records.length}-${hash.digest('hex')}`
}
