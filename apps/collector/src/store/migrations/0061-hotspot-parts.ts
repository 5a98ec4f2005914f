import type { Migration } from './migration'

/**
 * Per-hour hotspot parts (see `store/queries/hotspots/parts.ts`), computed by the rollup
 * refresher from the deduplicated spans, the same way as the task rollups.
 *
 * - `hotspot_parts`: one row per (project, hour, cause, task name, step, provider, model, tool,
 *   detail) of a refresh: occurrences, Decimal dollars wasted (whole-call and tool causes) or the
 *   missed and written prompt-cache tokens (cache causes, priced on read once a row's parts are
 *   summed), and a few example ids.
 * - `hotspot_hours`: per (project, hour), the refresh that is current, the delivery count of
 *   the hours its verdicts depend on (the hour and the two on either side) when it ran, and the
 *   hour's spend. Readers use an hour's parts only while that count still matches.
 */
export const hotspotParts: Migration = {
  version: 61,
  name: 'hotspot-parts',
  statements: [
    `CREATE TABLE IF NOT EXISTS hotspot_parts (
      project_id LowCardinality(String),
      hour DateTime('UTC'),
      refresh_id UInt64,
      cause LowCardinality(String),
      task_name LowCardinality(String),
      step LowCardinality(String),
      provider LowCardinality(String),
      model LowCardinality(String),
      tool LowCardinality(String),
      detail LowCardinality(String),
      day Date,
      is_cache Bool,
      occurrences UInt64,
      wasted Decimal(38, 12),
      missed_tokens UInt64,
      write_tokens UInt64,
      example_tasks Array(String),
      example_spans Array(String),
      example_span_tasks Array(String)
    )
    ENGINE = ReplacingMergeTree(refresh_id)
    PARTITION BY toYYYYMM(hour)
    ORDER BY (project_id, hour, cause, task_name, step, provider, model, tool, detail, day)`,
    `CREATE TABLE IF NOT EXISTS hotspot_hours (
      project_id LowCardinality(String),
      hour DateTime('UTC'),
      refresh_id UInt64,
      delivered UInt64,
      spend Decimal(38, 12)
    )
    ENGINE = ReplacingMergeTree(refresh_id)
    ORDER BY (project_id, hour)`,
  ],
}
