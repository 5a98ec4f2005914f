import type { ClickHouseClient } from '@clickhouse/client'
import {
  MODE_ARM_KEY_SQL,
  ARM_KEY_MODES,
  TASK_STEP_PARTIAL_COLUMNS,
  TASK_STEP_PARTIAL_SQL,
  TASK_STEP_SPANS_SQL,
  type StepRefreshParams,
} from './step-partials'

/**
 * Task parts and outcome parts of some hours. Counting each task's outcome once per arm needs
 * all of a task's parts together, and grouping a million tasks per query is what made the
 * recommendations slow. Most tasks lie within one hour, so their outcomes are summed per arm
 * here (`step_outcome_hours`), and a query groups by task only the few that do not.
 *
 * Exactness rests on one rule: a task part is `local` (counted in its hour's outcome parts)
 * only if no other hour had a part of the task when it was written, and when a later refresh
 * finds a task in an hour where it is marked local, that hour's stamp is withdrawn before the
 * new hours are stamped, so its rollup is read from the spans until refreshed again (then as
 * split). Between the two, a task with a part in a stale hour is met in the query's raw
 * stretch and handled there (see `queries/recommendations/step-outcomes.ts`).
 */
export async function refreshStepOutcomes(
  client: ClickHouseClient,
  params: StepRefreshParams,
  where: string,
): Promise<void> {
  const settings = { optimize_move_to_prewhere_if_final: 1 } as const
  const batchTasks = `SELECT task_id FROM spans WHERE ${where} AND ${TASK_STEP_SPANS_SQL}`
  await client.command({
    query: `INSERT INTO step_task_hours (project_id, refresh_id, hour, task_id,
        ${TASK_STEP_PARTIAL_COLUMNS.join(', ')}, p_split)
      SELECT {projectId:String}, {refreshId:UInt64}, toStartOfHour(start_time) AS hour, task_id,
        ${TASK_STEP_PARTIAL_SQL},
        toUInt8(task_id IN (
          SELECT task_id FROM step_task_hours
          WHERE project_id = {projectId:String} AND hour NOT IN {hours:Array(DateTime('UTC'))}
            AND task_id IN (${batchTasks})
          UNION ALL
          SELECT task_id FROM spans WHERE ${where} AND ${TASK_STEP_SPANS_SQL}
          GROUP BY task_id HAVING uniqExact(toStartOfHour(start_time)) > 1)) AS p_split
      FROM spans FINAL WHERE ${where} AND ${TASK_STEP_SPANS_SQL}
      GROUP BY hour, task_id`,
    query_params: params,
    clickhouse_settings: settings,
  })
  await withdrawLocalHours(client, params)
  await client.command({
    query: `INSERT INTO step_outcome_hours (project_id, hour, refresh_id, mode, arm, successes,
        failures, p_scores)
      SELECT {projectId:String}, hour, {refreshId:UInt64}, mode, arm,
        countIf(p_outcome = 'success'), countIf(p_outcome = 'failure'),
        sumMapIf([assumeNotNull(p_score)], [toInt64(1)], p_score IS NOT NULL)
      FROM step_task_hours
      ARRAY JOIN [${ARM_KEY_MODES.join(', ')}] AS mode
      ARRAY JOIN arrayDistinct(arrayMap(a -> ${MODE_ARM_KEY_SQL}, p_arms)) AS arm
      WHERE project_id = {projectId:String} AND hour IN {hours:Array(DateTime('UTC'))}
        AND refresh_id = {refreshId:UInt64} AND p_split = 0
        AND (p_outcome != '' OR p_score IS NOT NULL)
      GROUP BY hour, mode, arm`,
    query_params: params,
  })
}

/**
 * Hours outside this refresh whose current rollup marks a task now split as local (rows of
 * older refreshes do not count: no reader uses them): their stamp is replaced
 * by one under this refresh's (newer) id with no deliveries, which no count matches, so the
 * hour reads from the spans and the refresher rewrites it in its next round.
 */
async function withdrawLocalHours(
  client: ClickHouseClient,
  params: StepRefreshParams,
): Promise<void> {
  const result = await client.query({
    query: `SELECT DISTINCT toString(hour) AS hour_text FROM step_task_hours
      WHERE project_id = {projectId:String} AND hour NOT IN {hours:Array(DateTime('UTC'))}
        AND p_split = 0
        AND (hour, refresh_id) IN (
          SELECT hour, max(refresh_id) FROM rollup_hours
          WHERE project_id = {projectId:String} GROUP BY hour)
        AND task_id IN (
          SELECT task_id FROM step_task_hours
          WHERE project_id = {projectId:String} AND hour IN {hours:Array(DateTime('UTC'))}
            AND refresh_id = {refreshId:UInt64} AND p_split = 1)`,
    query_params: params,
    format: 'JSONEachRow',
  })
  const hours = await result.json<{ hour_text: string }>()
  if (hours.length === 0) return
  await client.insert({
    table: 'rollup_hours',
    values: hours.map((row) => ({
      project_id: params.projectId,
      hour: row.hour_text,
      refresh_id: params.refreshId,
      delivered: 0,
    })),
    format: 'JSONEachRow',
  })
}
