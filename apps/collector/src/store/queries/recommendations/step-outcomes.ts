import type { ClickHouseClient } from '@clickhouse/client'
import { FILTER_BEFORE_FINAL } from './scope'
import { armKeySql, sourceParams, taskPartsSql, type StepSource } from './sources'

export interface ArmOutcomeRow {
  /** The arm key (see `armKeySql`), as text. */
  arm: string
  successes: number
  failures: number
  /** Root scores of the arm's tasks that carry one, in [0, 1] (others are left out). */
  scores: number[]
}

/**
 * Outcomes of the tasks that ran each step on each model: the task parts (one per task and
 * hour) combine into each task's earliest root outcome and score and the distinct arms its step
 * calls ran on; each task then counts once per arm. A task that ran a step on two models
 * counts for both. Grouping by task rather than joining the calls to their roots keeps the work
 * to one pass over the parts.
 */
export async function queryArmOutcomes(
  client: ClickHouseClient,
  source: StepSource,
): Promise<ArmOutcomeRow[]> {
  const key = armKeySql(source.keys, 'a.1', 'a.2', 'a.3')
  const result = await client.query({
    query: `SELECT toString(arm) AS arm,
        countIf(task_outcome = 'success') AS successes,
        countIf(task_outcome = 'failure') AS failures,
        groupArrayIf(task_score, task_score IS NOT NULL) AS scores
      FROM (
        SELECT task_id,
          argMinIf(p_outcome, p_outcome_at, p_outcome != '') AS task_outcome,
          argMinIf(p_score, p_score_at, p_score IS NOT NULL AND p_score >= 0 AND p_score <= 1)
            AS task_score,
          arrayDistinct(arrayMap(a -> ${key}, groupArrayArray(p_arms))) AS arms
        FROM (${taskPartsSql(source)})
        GROUP BY task_id
        HAVING task_outcome != '' OR task_score IS NOT NULL
      )
      ARRAY JOIN arms AS arm
      GROUP BY arm`,
    query_params: sourceParams(source),
    clickhouse_settings: FILTER_BEFORE_FINAL,
    format: 'JSONEachRow',
  })
  const rows = await result.json<{
    arm: string
    successes: string
    failures: string
    scores: number[]
  }>()
  return rows.map((row) => ({
    arm: row.arm,
    successes: Number(row.successes),
    failures: Number(row.failures),
    scores: row.scores.map(Number),
  }))
}
