import type { Migration } from './migration'

/**
 * Rollups for the dashboard's cost and task views (see `store/rollups/`).
 *
 * A materialized view cannot stay exact on its own here: it sees every delivery of a span, and a
 * span delivered twice (same project, trace and span id) must count once. So the view only
 * counts deliveries per (project, hour), and the task rollups are computed from the
 * deduplicated spans (`FINAL`) by the collector's refresher, one hour at a time, stamped with the
 * delivery count they saw. A query uses an hour's rollup only while that count still matches;
 * any later delivery (a retry, a duplicate, a reprice) makes the hour stale, and it is read from
 * the spans again until refreshed. Exactness never depends on the refresher keeping up.
 *
 * - `span_deliveries` + `span_deliveries_mv`: rows delivered per project and hour, with the
 *   newest `ingested_at` (so the refresher can wait for an hour to settle).
 * - `task_hours`: one row per (project, hour, task) of a refresh: the mergeable parts of the
 *   task aggregate (sums, counts, first and last times, the earliest name and outcome).
 * - `task_model_hours`: the spend of each (task, provider, model) in an hour, for costs by model.
 * - `rollup_hours`: per (project, hour), the refresh that is current and the delivery count it
 *   saw. Rows of other refreshes are ignored by readers and replaced in merges.
 * - a bloom filter on `spans.task_id`, so a task's spans are found without a full scan (parts
 *   written before this migration have none and are scanned as before).
 */
export const rollupTables: Migration = {
  version: 30,
  name: 'rollups',
  statements: [
    `CREATE TABLE IF NOT EXISTS span_deliveries (
      project_id LowCardinality(String),
      hour DateTime('UTC'),
      rows SimpleAggregateFunction(sum, UInt64),
      last_ingested_at SimpleAggregateFunction(max, DateTime64(3, 'UTC'))
    )
    ENGINE = AggregatingMergeTree
    ORDER BY (project_id, hour)`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS span_deliveries_mv TO span_deliveries AS
    SELECT project_id, toStartOfHour(start_time) AS hour, count() AS rows,
      max(ingested_at) AS last_ingested_at
    FROM spans
    GROUP BY project_id, hour`,
    `CREATE TABLE IF NOT EXISTS task_hours (
      project_id LowCardinality(String),
      hour DateTime('UTC'),
      task_id String,
      refresh_id UInt64,
      p_root_named UInt64,
      p_root_name String,
      p_root_name_at DateTime64(9, 'UTC'),
      p_named UInt64,
      p_name String,
      p_name_at DateTime64(9, 'UTC'),
      p_start DateTime64(9, 'UTC'),
      p_end DateTime64(9, 'UTC'),
      p_llm_cost Nullable(Decimal(38, 12)),
      p_tool_cost Decimal(38, 12),
      p_priced_calls UInt64,
      p_unpriced_calls UInt64,
      p_llm_calls UInt64,
      p_tool_calls UInt64,
      p_task_spans UInt64,
      p_input_tokens UInt64,
      p_output_tokens UInt64,
      p_root_outcomes UInt64,
      p_root_outcome LowCardinality(String),
      p_root_outcome_at DateTime64(9, 'UTC'),
      p_outcomes UInt64,
      p_outcome LowCardinality(String),
      p_outcome_at DateTime64(9, 'UTC'),
      p_error_spans UInt64
    )
    ENGINE = ReplacingMergeTree(refresh_id)
    PARTITION BY toYYYYMM(hour)
    ORDER BY (project_id, hour, task_id)`,
    `CREATE TABLE IF NOT EXISTS task_model_hours (
      project_id LowCardinality(String),
      hour DateTime('UTC'),
      task_id String,
      provider LowCardinality(String),
      model LowCardinality(String),
      refresh_id UInt64,
      p_cost Nullable(Decimal(38, 12))
    )
    ENGINE = ReplacingMergeTree(refresh_id)
    PARTITION BY toYYYYMM(hour)
    ORDER BY (project_id, hour, task_id, provider, model)`,
    `CREATE TABLE IF NOT EXISTS rollup_hours (
      project_id LowCardinality(String),
      hour DateTime('UTC'),
      refresh_id UInt64,
      delivered UInt64
    )
    ENGINE = ReplacingMergeTree(refresh_id)
    ORDER BY (project_id, hour)`,
    // Spans stored before this migration count as delivered, so their hours get rollups too. A
    // second run (a migration interrupted and restarted) only raises the counts, which are
    // change detectors, not totals: the refresher stamps whatever count it reads.
    `INSERT INTO span_deliveries
    SELECT project_id, toStartOfHour(start_time) AS hour, count() AS rows,
      max(ingested_at) AS last_ingested_at
    FROM spans
    GROUP BY project_id, hour`,
    `ALTER TABLE spans ADD INDEX IF NOT EXISTS spans_task_id task_id TYPE bloom_filter(0.01) GRANULARITY 1`,
  ],
}
