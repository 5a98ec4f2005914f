import type { ClickHouseClient } from '@clickhouse/client'
import { TASK_COLUMNS, TASK_COMBINE, TASK_HAVING_SQL } from './task-partials'

/**
 * Per-task totals: a task's final values, combined once by the refresher from the hourly parts
 * (`task_hours`, `task_model_hours`) instead of on every read.
 *
 * A task gets a row at each hour it has parts in: at its first hour the totals row
 * (`is_first = 1`), elsewhere a marker that names the first hour. The totals row lists the
 * parts it combined (`part_hours`, `part_refresh_ids`); a reader uses it only while every one
 * of those refreshes is the current one of its hour and the task has no spans in an hour read
 * from the spans. A marker whose first hour lies before the range, or a totals row with a part
 * outside the range's current hours, sends the task to the parts path, where it is combined
 * from its in-range parts as before. So exactness never depends on the totals being current.
 *
 * Why the version is `max(part refresh id) * 1024 + part count`: two refreshers of different
 * hours of one task (several collectors on a server) each insert their hours into
 * `task_hour_index` before reading the task's hours back, so at least one of them sees both
 * and writes the fuller list, with the higher version (its newest part is at least as new, and
 * it has more parts), at every hour the other wrote. Both write before their `rollup_hours` row,
 * and until that row is there the new parts are not current, so no reader uses either.
 */

/**
 * Columns of `task_totals` as migration 31 created them (the final values have the types the
 * combine gives). Migration 63 adds `model_unpriced_calls`, written below, and the same spend
 * and counts per provider (`provider_names`, ...), which the table derives from these arrays.
 */
export const TASK_TOTALS_COLUMNS_DDL = `project_id LowCardinality(String),
      hour DateTime('UTC'),
      task_id String,
      version UInt64,
      is_first UInt8,
      first_hour DateTime('UTC'),
      part_hours Array(DateTime('UTC')),
      part_refresh_ids Array(UInt64),
      listed UInt8,
      name String,
      task_start DateTime64(9, 'UTC'),
      task_end DateTime64(9, 'UTC'),
      cost Nullable(Decimal(38, 12)),
      priced_calls UInt64,
      unpriced_calls UInt64,
      llm_calls UInt64,
      tool_calls UInt64,
      input_tokens UInt64,
      output_tokens UInt64,
      outcome LowCardinality(String),
      error_spans UInt64,
      model_providers Array(LowCardinality(String)),
      model_names Array(String),
      model_costs Array(Nullable(Decimal(38, 12)))`

/**
 * Rebuilds the totals of the tasks `scope` selects (a condition on `task_hour_index` rows),
 * from the parts the index names for them. `1` rebuilds every task (the migration's backfill).
 *
 * Each row carries, beside its spend per (provider, model), that pair's own unpriced calls
 * (`model_unpriced_calls`, from `task_model_unpriced_hours`), so costs by model and provider
 * read them from the row instead of joining the counts to every row. `modelUnpriced: false`
 * writes the row without them, as migration 31 did before that column and its source existed
 * (migration 63 rebuilds such rows that had unpriced calls).
 */
export function taskTotalsInsertSql(scope: string, options = { modelUnpriced: true }): string {
  const parts = `(project_id, hour, task_id, refresh_id) IN (
        SELECT project_id, hour, task_id, refresh_id FROM task_hour_index FINAL WHERE ${scope})`
  const values = TASK_COLUMNS.map((column) => `${TASK_COMBINE[column]} AS ${column}`)
  const unpriced = options.modelUnpriced
  // Every pair with unpriced calls has its spend row too, so the second source adds no pair,
  // and its NULL adds nothing to the spend. FINAL: a backfill run twice wrote its rows twice.
  const pairs = unpriced
    ? `SELECT project_id, task_id, provider, model, p_cost, toUInt64(0) AS p_unpriced
        FROM task_model_hours WHERE ${parts}
        UNION ALL
        SELECT project_id, task_id, provider, model,
          CAST(NULL AS Nullable(Decimal(38, 12))) AS p_cost, p_unpriced_calls AS p_unpriced
        FROM task_model_unpriced_hours FINAL WHERE ${parts}`
    : `SELECT project_id, task_id, provider, model, p_cost FROM task_model_hours WHERE ${parts}`
  return `INSERT INTO task_totals (project_id, hour, task_id, version, is_first, first_hour,
      part_hours, part_refresh_ids, listed, ${TASK_COLUMNS.join(', ')},
      model_providers, model_names, model_costs${unpriced ? ', model_unpriced_calls' : ''})
    SELECT t.project_id, row_hour, t.task_id, t.version, row_hour = t.first_hour, t.first_hour,
      t.part_hours, t.part_refresh_ids, t.listed, ${TASK_COLUMNS.map((c) => `t.${c}`).join(', ')},
      arrayMap(x -> x.1, m.spend), arrayMap(x -> x.2, m.spend), arrayMap(x -> x.3, m.spend)
      ${unpriced ? ', arrayMap(x -> x.4, m.spend)' : ''}
    FROM (
      SELECT project_id, task_id, min(hour) AS first_hour,
        groupArray(hour) AS part_hours, groupArray(refresh_id) AS part_refresh_ids,
        max(refresh_id) * 1024 + least(count(), 1023) AS version,
        (${TASK_HAVING_SQL}) AS listed,
        ${values.join(',\n        ')}
      FROM task_hours
      WHERE ${parts}
      GROUP BY project_id, task_id
    ) AS t
    LEFT JOIN (
      -- Tuples, not three arrays: groupArray drops NULLs, and an unpriced model's spend is NULL.
      SELECT project_id, task_id,
        groupArray((provider, model, cost${unpriced ? ', unpriced' : ''})) AS spend
      FROM (
        SELECT project_id, task_id, provider, model, sum(p_cost) AS cost
          ${unpriced ? ', sum(p_unpriced) AS unpriced' : ''}
        FROM (${pairs})
        GROUP BY project_id, task_id, provider, model
      )
      GROUP BY project_id, task_id
    ) AS m ON m.project_id = t.project_id AND m.task_id = t.task_id
    ARRAY JOIN t.part_hours AS row_hour`
}

const REFRESHED_TASKS = `project_id = {projectId:String} AND task_id IN (
    SELECT task_id FROM task_hours
    WHERE project_id = {projectId:String} AND hour IN {hours:Array(DateTime('UTC'))}
      AND refresh_id = {refreshId:UInt64})`

/**
 * The refresher's step after it wrote an hour batch's parts and before it marks the hours
 * current: index the new parts, then rebuild the totals of every task that has one.
 */
export async function refreshTaskTotals(
  client: ClickHouseClient,
  params: { projectId: string; hours: string[]; refreshId: number },
): Promise<void> {
  await client.command({
    query: `INSERT INTO task_hour_index (project_id, task_id, hour, refresh_id)
      SELECT project_id, task_id, hour, refresh_id FROM task_hours
      WHERE project_id = {projectId:String} AND hour IN {hours:Array(DateTime('UTC'))}
        AND refresh_id = {refreshId:UInt64}`,
    query_params: params,
  })
  await client.command({ query: taskTotalsInsertSql(REFRESHED_TASKS), query_params: params })
}
