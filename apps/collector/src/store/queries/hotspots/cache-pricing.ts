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
 * Runs a cache detector and prices its token counts with the catalog: missed tokens at the
 * fresh-input rate minus the cache-read rate, less the write premium. Unpriced models drop out
 * (their waste is unknown, not zero).
 */
export async function runCacheDetector(
  client: ClickHouseClient,
  cause: HotspotCause,
  sql: string,
  query: DetectorQuery,
): Promise<DetectorRow[]> {
  const result = await client.query({ ...detectorStatement(sql, query), format: 'JSONEachRow' })
  const rows: DetectorRow[] = []
  for (const row of await result.json<CacheTokenRow>()) {
    const saving = cacheSavingPico({
      provider: row.provider,
      model: row.model,
      missedTokens: Number(row.missed_total),
      writeTokens: Number(row.write_total),
      timestamp: new Date(`${row.day}T00:00:00Z`),
    })
    if (saving === null || saving === 0n) continue
    rows.push({
      cause,
      taskName: row.task_name,
      step: row.step,
      model: row.model,
      tool: '',
      detail: row.detail,
      day: row.day,
      occurrences: Number(row.occurrences),
      wastedPico: saving,
      exampleTaskIds: row.example_tasks,
      exampleSpanIds: row.example_spans,
      exampleSpanTasks: row.example_span_tasks,
    })
  }
  return rows
}

export { picoToUsd }
