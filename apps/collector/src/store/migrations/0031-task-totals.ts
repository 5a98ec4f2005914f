import { TASK_TOTALS_COLUMNS_DDL, taskTotalsInsertSql } from '../rollups/task-totals'
import type { Migration } from './migration'

/**
 * Per-task rollups, so the cost views and the task list read one row per task instead of
 * merging every task's hourly parts on each request (see `rollups/task-totals.ts`).
 *
 * - `task_hour_index`: the hours a task has parts in, ordered by task id: the refresher finds a
 *   task's other hours here, and the task detail reads only those hours of the spans.
 * - `task_totals`: a task's final values (one row at its first hour, combined from the parts
 *   it names) and a marker row at each of its other hours.
 * - `rollup_hours.totals`: 1 when the refresh also wrote the totals of the hour's tasks; hours
 *   refreshed without it (by an older collector) are read from their parts.
 *
 * The backfill builds both from the current refreshes (cheap: it reads the hourly parts, not
 * the spans) and then marks those refreshes as having totals.
 */
export const taskTotalsTables: Migration = {
  version: 31,
  name: 'task-totals',
  statements: [
    `ALTER TABLE rollup_hours ADD COLUMN IF NOT EXISTS totals UInt8 DEFAULT 0`,
    `CREATE TABLE IF NOT EXISTS task_hour_index (
      project_id LowCardinality(String),
      task_id String,
      hour DateTime('UTC'),
      refresh_id UInt64
    )
    ENGINE = ReplacingMergeTree(refresh_id)
    ORDER BY (project_id, task_id, hour)`,
    `CREATE TABLE IF NOT EXISTS task_totals (
      ${TASK_TOTALS_COLUMNS_DDL}
    )
    ENGINE = ReplacingMergeTree(version)
    PARTITION BY toYYYYMM(hour)
    ORDER BY (project_id, hour, task_id)`,
    `INSERT INTO task_hour_index (project_id, task_id, hour, refresh_id)
    SELECT project_id, task_id, hour, refresh_id FROM task_hours
    WHERE (project_id, hour, refresh_id) IN (
      SELECT project_id, hour, max(refresh_id) FROM rollup_hours GROUP BY project_id, hour)`,
    // As the totals were then: the unpriced counts per model came later (migrations 62, 63).
    taskTotalsInsertSql('1', { modelUnpriced: false }),
    `INSERT INTO rollup_hours (project_id, hour, refresh_id, delivered, totals)
    SELECT project_id, hour, max(refresh_id), argMax(delivered, refresh_id), 1
    FROM rollup_hours
    GROUP BY project_id, hour`,
  ],
}
