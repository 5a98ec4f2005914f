import type { ClickHouseClient } from '@clickhouse/client'
import { rawSpansCondition, rollupCondition } from '../../rollups/plan'
import { armKeyMode, TASK_STEP_SPANS_SQL } from '../../rollups/step-partials'
import { FILTER_BEFORE_FINAL } from './scope'
import { armKeySql, rawTaskPartsSql, sourceParams, type StepSource } from './sources'

export interface ArmOutcomeRow {
  /** The arm key (see `armKeySql`), as text. */
  arm: string
  successes: number
  failures: number
  /** Root scores of the arm's tasks that carry one (in [0, 1]), each value with its count. */
  scores: Array<[number, number]>
}

/**
 * Outcomes of the tasks that ran each step on each model; a task counts once per arm it ran
 * (a task that ran a step on two models counts for both). Three sums, by arm:
 * - the current hours' outcome parts: the tasks that lay within one hour when refreshed;
 * - minus those of them met again in the raw stretches of the range (a later span in another
 *   hour, not yet refreshed), which are counted with the next group instead;
 * - the tasks combined from their parts (the current hours' split tasks and those just named,
 *   and every task part of the raw stretches), each task's earliest root outcome and score and
 *   the distinct arms its step calls ran on.
 */
export async function queryArmOutcomes(
  client: ClickHouseClient,
  source: StepSource,
): Promise<ArmOutcomeRow[]> {
  const key = armKeySql(source.keys, 'a.1', 'a.2', 'a.3')
  const { plan } = source
  const fresh = plan.freshHours.length > 0
  const raw = plan.raw.length > 0
  const { sql: rawTasks, ids: rawTaskIds } =
    fresh && raw ? await rawTaskCondition(client, source) : { sql: '0', ids: [] }
  const taskParts: string[] = []
  if (fresh) {
    taskParts.push(`SELECT task_id, p_outcome, p_outcome_at, p_score, p_score_at, p_arms
      FROM step_task_hours WHERE ${rollupCondition()} AND (p_split = 1 OR ${rawTasks})`)
  }
  if (raw) taskParts.push(rawTaskPartsSql(source))
  const sums: string[] = [
    `SELECT toString(arm) AS arm, toInt64(count_s) AS s, toInt64(count_f) AS f, scores
    FROM (
      SELECT arm, countIf(task_outcome = 'success') AS count_s,
        countIf(task_outcome = 'failure') AS count_f,
        sumMapIf([assumeNotNull(task_score)], [toInt64(1)], task_score IS NOT NULL) AS scores
      FROM (
        SELECT task_id,
          argMinIf(p_outcome, p_outcome_at, p_outcome != '') AS task_outcome,
          argMinIf(p_score, p_score_at, p_score IS NOT NULL) AS task_score,
          arrayDistinct(arrayMap(a -> ${key}, groupArrayArray(p_arms))) AS arms
        FROM (${taskParts.join('\n        UNION ALL\n        ')})
        GROUP BY task_id
        HAVING task_outcome != '' OR task_score IS NOT NULL
      )
      ARRAY JOIN arms AS arm
      GROUP BY arm
    )`,
  ]
  if (fresh) {
    sums.push(`SELECT toString(arm) AS arm, toInt64(successes) AS s, toInt64(failures) AS f,
        p_scores AS scores
      FROM step_outcome_hours
      WHERE ${rollupCondition()} AND mode = ${armKeyMode(source.keys)}`)
  }
  if (fresh && raw) {
    sums.push(`SELECT toString(arm) AS arm, -toInt64(p_outcome = 'success') AS s,
        -toInt64(p_outcome = 'failure') AS f,
        (if(p_score IS NULL, [], [assumeNotNull(p_score)]),
          if(p_score IS NULL, [], [toInt64(-1)])) AS scores
      FROM step_task_hours
      ARRAY JOIN arrayDistinct(arrayMap(a -> ${key}, p_arms)) AS arm
      WHERE ${rollupCondition()} AND p_split = 0 AND ${rawTasks}
        AND (p_outcome != '' OR p_score IS NOT NULL)`)
  }
  const result = await client.query({
    query: `SELECT arm, sum(s) AS successes, sum(f) AS failures,
        sumMap(scores.1, scores.2) AS score_counts
      FROM (${sums.join('\n      UNION ALL\n      ')})
      GROUP BY arm`,
    query_params: { ...sourceParams(source), rawTaskIds },
    clickhouse_settings: FILTER_BEFORE_FINAL,
    format: 'JSONEachRow',
  })
  const rows = await result.json<{
    arm: string
    successes: string
    failures: string
    score_counts: [number[], Array<number | string>]
  }>()
  return rows.map((row) => ({
    arm: row.arm,
    successes: Number(row.successes),
    failures: Number(row.failures),
    scores: row.score_counts[0]
      .map((value, i): [number, number] => [Number(value), Number(row.score_counts[1][i])])
      .filter(([, count]) => count > 0),
  }))
}

/** Up to this many raw tasks go to the query as a list; more, as a subquery. */
const RAW_TASK_LIST = 10_000

/**
 * The condition "the task has a part in a raw stretch", for the current hours' task parts. The
 * raw stretches are mostly a range's partial end hours and the hours changed since their
 * refresh: few tasks, so they are read first and the condition is a list (none at all when
 * the stretches have no task), which spares the scan of every current task id.
 */
async function rawTaskCondition(
  client: ClickHouseClient,
  source: StepSource,
): Promise<{ sql: string; ids: string[] }> {
  const subquery = `SELECT DISTINCT task_id FROM spans
    WHERE ${rawSpansCondition(source.plan)} AND ${TASK_STEP_SPANS_SQL} AND ${source.taskFilter.sql}`
  const result = await client.query({
    query: `${subquery} LIMIT ${RAW_TASK_LIST + 1}`,
    query_params: sourceParams(source),
    format: 'JSONEachRow',
  })
  const ids = (await result.json<{ task_id: string }>()).map((row) => row.task_id)
  if (ids.length === 0) return { sql: '0', ids }
  if (ids.length > RAW_TASK_LIST) return { sql: `task_id IN (${subquery})`, ids: [] }
  return { sql: 'task_id IN {rawTaskIds:Array(String)}', ids }
}
