import { cacheSavingPico, picoToUsd } from '@agentmeter/core'
import type { ClickHouseClient } from '@clickhouse/client'
import {
  detectorStatement,
  type DetectorQuery,
  type DetectorRow,
  type HotspotCause,
} from './detector'

/** A cache detector's row before pricing: token counts, priced per model in TypeScript. */
export interface CacheTokenRow {
  task_name: string
  step: string
  provider: string
  model: string
  detail: string
  day: string
  occurrences: string
  missed_total: string
  write_total: string
  example_tasks: string[]
  example_spans: string[]
  example_span_tasks: string[]
}

/**
 * Runs a cache detector: its rows carry token counts (`cacheTokens`), priced by
 * `priceCacheRows` once the rows of a key and day are summed.
 */
export async function runCacheDetector(
  client: ClickHouseClient,
  cause: HotspotCause,
  sql: string,
  query: DetectorQuery,
): Promise<DetectorRow[]> {
  const result = await client.query({ ...detectorStatement(sql, query), format: 'JSONEachRow' })
  return (await result.json<CacheTokenRow>()).map((row) => ({
    cause,
    taskName: row.task_name,
    step: row.step,
    model: row.model,
    tool: '',
    detail: row.detail,
    day: row.day,
    occurrences: Number(row.occurrences),
    wastedPico: 0n,
    exampleTaskIds: row.example_tasks,
    exampleSpanIds: row.example_spans,
    exampleSpanTasks: row.example_span_tasks,
    cacheTokens: {
      provider: row.provider,
      missed: BigInt(row.missed_total),
      written: BigInt(row.write_total),
    },
  }))
}

/**
 * Prices cache rows with the catalog: missed tokens at the fresh-input rate minus the
 * cache-read rate, less the write premium. Unpriced models drop out (their waste is unknown,
 * not zero), and so do rows that save nothing. Other rows pass through.
 */
export function priceCacheRows(rows: readonly DetectorRow[]): DetectorRow[] {
  const out: DetectorRow[] = []
  for (const row of rows) {
    if (!row.cacheTokens) {
      out.push(row)
      continue
    }
    const saving = cacheSavingPico({
      provider: row.cacheTokens.provider,
      model: row.model,
      missedTokens: Number(row.cacheTokens.missed),
      writeTokens: Number(row.cacheTokens.written),
      timestamp: new Date(`${row.day}T00:00:00Z`),
    })
    if (saving === null || saving === 0n) continue
    const { cacheTokens: _tokens, ...rest } = row
    out.push({ ...rest, wastedPico: saving })
  }
  return out
}

export { picoToUsd }
