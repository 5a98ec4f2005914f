import {
  ARM_GROUP_SQL,
  ARM_KEY_MODES,
  MODE_ARM_KEY_SQL,
  ARM_KEY_COLUMNS,
  ARM_KEY_SQL,
  ARM_PARTIAL_COLUMNS,
  ARM_PARTIAL_SQL,
  SHADOW_COLUMNS,
  SHADOW_ROW_SQL,
  SHADOW_SPANS_SQL,
  STEP_CALL_SQL,
  TASK_STEP_PARTIAL_COLUMNS,
  TASK_STEP_PARTIAL_SQL,
  TASK_STEP_SPANS_SQL,
} from '../rollups/step-partials'
import type { Migration } from './migration'

/**
 * Rollups of the routing recommender (see `rollups/step-partials.ts`), refreshed with the task
 * rollups of migration 30 and current under the same `rollup_hours` stamp:
 *
 * - `step_arm_hours`: per (hour, task name, step, model, provider, system hash, input band) the
 *   step calls' counts, tokens, Decimal spend, finish reasons, errors, retries and moments;
 * - `step_task_hours`: per (hour, task) the root's outcome and score, the arms it ran, and
 *   whether the task has parts in other hours;
 * - `step_outcome_hours`: per (hour, arm key mode, arm) the outcomes and scores of the hour's
 *   tasks that have no part elsewhere;
 * - `step_shadow_hours`: copies of the shadow calls and of their primaries.
 *
 * Hours stamped before this migration have no rows here, yet their stamp says current: the
 * last four statements fill those hours from the spans under the stamp's own refresh id (a
 * pass over the step calls each, and one over the task parts). A stamp that no longer matches its hour's deliveries is refreshed
 * anew anyway, and a second run only writes the same rows again, which the engines replace.
 */
const STAMPS = `(SELECT project_id, hour, max(refresh_id) AS refresh_id
    FROM rollup_hours GROUP BY project_id, hour)`

const backfill = (table: string, columns: string[], select: string) =>
  `INSERT INTO ${table} (project_id, hour, refresh_id, ${columns.join(', ')})
    SELECT p.project_id, p.hour, r.refresh_id, ${columns.map((c) => `p.${c}`).join(', ')}
    FROM (${select}) AS p
    INNER JOIN ${STAMPS} AS r ON r.project_id = p.project_id AND r.hour = p.hour`

export const stepRollups: Migration = {
  version: 51,
  name: 'step-rollups',
  statements: [
    `CREATE TABLE IF NOT EXISTS step_arm_hours (
      project_id LowCardinality(String),
      hour DateTime('UTC'),
      task_name LowCardinality(String),
      step LowCardinality(String),
      model LowCardinality(String),
      provider LowCardinality(String),
      system_hash UInt64,
      band UInt8,
      refresh_id UInt64,
      p_calls UInt64,
      p_unpriced UInt64,
      p_input UInt64,
      p_output UInt64,
      p_errors UInt64,
      p_retries UInt64,
      p_finish Tuple(Array(String), Array(UInt64)),
      p_tools UInt8,
      p_structured UInt8,
      p_vision UInt8,
      p_input_grid Tuple(Array(UInt64), Array(UInt64)),
      p_priced UInt64,
      p_priced_input UInt64,
      p_priced_output UInt64,
      p_cost Decimal(38, 12),
      p_cc Int128,
      p_ii UInt128,
      p_oo UInt128,
      p_ci Int128,
      p_co Int128,
      p_io UInt128
    )
    ENGINE = ReplacingMergeTree(refresh_id)
    PARTITION BY toYYYYMM(hour)
    ORDER BY (project_id, hour, task_name, step, model, provider, system_hash, band)`,
    `CREATE TABLE IF NOT EXISTS step_task_hours (
      project_id LowCardinality(String),
      hour DateTime('UTC'),
      task_id String,
      refresh_id UInt64,
      p_outcome LowCardinality(String),
      p_outcome_at DateTime64(9, 'UTC'),
      p_score Nullable(Float64),
      p_score_at DateTime64(9, 'UTC'),
      p_arms Array(Tuple(UInt64, UInt64, UInt8)),
      p_split UInt8
    )
    ENGINE = ReplacingMergeTree(refresh_id)
    PARTITION BY toYYYYMM(hour)
    ORDER BY (project_id, hour, task_id)`,
    `CREATE TABLE IF NOT EXISTS step_outcome_hours (
      project_id LowCardinality(String),
      hour DateTime('UTC'),
      refresh_id UInt64,
      mode UInt8,
      arm UInt64,
      successes UInt64,
      failures UInt64,
      p_scores Tuple(Array(Float64), Array(Int64))
    )
    ENGINE = ReplacingMergeTree(refresh_id)
    PARTITION BY toYYYYMM(hour)
    ORDER BY (project_id, hour, mode, arm)`,
    `CREATE TABLE IF NOT EXISTS step_shadow_hours (
      project_id LowCardinality(String),
      hour DateTime('UTC'),
      trace_id String,
      span_id String,
      refresh_id UInt64,
      task_name LowCardinality(String),
      step LowCardinality(String),
      model LowCardinality(String),
      provider LowCardinality(String),
      system_hash UInt64,
      band UInt8,
      output_tokens UInt64,
      shadow Bool,
      primary_id String,
      propensity Float64,
      score Nullable(Float64)
    )
    ENGINE = ReplacingMergeTree(refresh_id)
    PARTITION BY toYYYYMM(hour)
    ORDER BY (project_id, hour, trace_id, span_id)`,
    backfill(
      'step_arm_hours',
      [...ARM_KEY_COLUMNS, ...ARM_PARTIAL_COLUMNS],
      `SELECT project_id, ${ARM_KEY_SQL}, ${ARM_PARTIAL_SQL}
      FROM spans FINAL WHERE ${STEP_CALL_SQL}
      GROUP BY project_id, ${ARM_GROUP_SQL}`,
    ),
    // A task is split when its parts lie in more than one hour (see step-outcome-refresh.ts).
    backfill(
      'step_task_hours',
      ['task_id', ...TASK_STEP_PARTIAL_COLUMNS, 'p_split'],
      `SELECT project_id, toStartOfHour(start_time) AS hour, task_id, ${TASK_STEP_PARTIAL_SQL},
        toUInt8((project_id, task_id) IN (
          SELECT project_id, task_id FROM spans WHERE ${TASK_STEP_SPANS_SQL}
          GROUP BY project_id, task_id HAVING uniqExact(toStartOfHour(start_time)) > 1)) AS p_split
      FROM spans FINAL WHERE ${TASK_STEP_SPANS_SQL}
      GROUP BY project_id, hour, task_id`,
    ),
    `INSERT INTO step_outcome_hours (project_id, hour, refresh_id, mode, arm, successes, failures,
        p_scores)
      SELECT project_id, hour, refresh_id, mode, arm,
        countIf(p_outcome = 'success'), countIf(p_outcome = 'failure'),
        sumMapIf([assumeNotNull(p_score)], [toInt64(1)], p_score IS NOT NULL)
      FROM step_task_hours
      ARRAY JOIN [${ARM_KEY_MODES.join(', ')}] AS mode
      ARRAY JOIN arrayDistinct(arrayMap(a -> ${MODE_ARM_KEY_SQL}, p_arms)) AS arm
      WHERE p_split = 0 AND (p_outcome != '' OR p_score IS NOT NULL)
      GROUP BY project_id, hour, refresh_id, mode, arm`,
    backfill(
      'step_shadow_hours',
      SHADOW_COLUMNS,
      `SELECT project_id, ${SHADOW_ROW_SQL} FROM spans FINAL WHERE ${SHADOW_SPANS_SQL}`,
    ),
  ],
}
