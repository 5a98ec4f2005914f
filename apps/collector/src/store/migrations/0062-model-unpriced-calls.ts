import { TASK_MODEL_UNPRICED_SQL, UNPRICED_CALL_SQL } from '../rollups/task-partials'
import type { Migration } from './migration'

/**
 * Unpriced calls per (hour, task, provider, model), refreshed with the task rollups of
 * migration 30 and current under the same `rollup_hours` stamp, so costs by model and provider
 * count each row's own unpriced calls, not those of the tasks that used the value (the spend
 * parts of `task_model_hours` say only whether all of a model's calls were unpriced, not how
 * many). Only (task, model) pairs with an unpriced call get a row.
 *
 * Hours stamped before this migration have no rows here, yet their stamp says current: the
 * backfill writes them from the spans under the stamp's own refresh id (one pass over the
 * unpriced model calls). A stamp that no longer matches its deliveries is refreshed anew anyway;
 * a second run writes the same rows again, which readers see once (they read with FINAL).
 */
export const modelUnpricedCalls: Migration = {
  version: 62,
  name: 'model-unpriced-calls',
  statements: [
    `CREATE TABLE IF NOT EXISTS task_model_unpriced_hours (
      project_id LowCardinality(String),
      hour DateTime('UTC'),
      task_id String,
      provider LowCardinality(String),
      model LowCardinality(String),
      refresh_id UInt64,
      p_unpriced_calls UInt64
    )
    ENGINE = ReplacingMergeTree(refresh_id)
    PARTITION BY toYYYYMM(hour)
    ORDER BY (project_id, hour, task_id, provider, model)`,
    `INSERT INTO task_model_unpriced_hours
      (project_id, hour, task_id, provider, model, refresh_id, p_unpriced_calls)
    SELECT p.project_id, p.hour, p.task_id, p.provider, p.model, r.refresh_id, p.p_unpriced_calls
    FROM (
      SELECT project_id, toStartOfHour(start_time) AS hour, ${TASK_MODEL_UNPRICED_SQL}
      FROM spans FINAL
      WHERE ${UNPRICED_CALL_SQL}
      GROUP BY project_id, hour, task_id, provider, model
    ) AS p
    INNER JOIN (
      SELECT project_id, hour, max(refresh_id) AS refresh_id FROM rollup_hours
      GROUP BY project_id, hour
    ) AS r ON r.project_id = p.project_id AND r.hour = p.hour`,
  ],
}
