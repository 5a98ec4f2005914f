import type { ClickHouseClient } from '@clickhouse/client'
import { ARM_KEY, FILTER_BEFORE_FINAL, type ClusterQuery } from './scope'

export interface ArmOutcomeRow {
  /** `ARM_KEY` of the (task name, step, model). */
  arm: string
  successes: number
  failures: number
}

/**
 * Outcomes of the tasks that ran each step on each model: one pass grouped by task collects the
 * root's outcome and the distinct arms (hashes of task name, step, model) its step calls ran on;
 * each task then counts once per arm. A task that ran a step on two models counts for both.
 * Grouping by task rather than joining the calls to their roots keeps the work to one scan.
 */
export async function queryArmOutcomes(
  client: ClickHouseClient,
  query: ClusterQuery,
): Promise<ArmOutcomeRow[]> {
  const result = await client.query({
    query: `SELECT toString(arm) AS arm,
        countIf(task_outcome = 'success') AS successes,
        countIf(task_outcome = 'failure') AS failures
      FROM (
        SELECT task_id,
          anyIf(outcome, is_task_root AND outcome != '') AS task_outcome,
          groupUniqArrayIf(${ARM_KEY}, kind = 'llm' AND step != '' AND NOT shadow) AS arms
        FROM spans FINAL
        WHERE project_id = {projectId:String}
          AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')}
          AND ((is_task_root AND outcome != '')
            OR (kind = 'llm' AND step != '' AND NOT shadow
              AND ({taskName:String} = '' OR task_name = {taskName:String})))
        GROUP BY task_id
        HAVING task_outcome != ''
      )
      ARRAY JOIN arms AS arm
      GROUP BY arm`,
    query_params: query,
    clickhouse_settings: FILTER_BEFORE_FINAL,
    format: 'JSONEachRow',
  })
  const rows = await result.json<{ arm: string; successes: string; failures: string }>()
  return rows.map((row) => ({
    arm: row.arm,
    successes: Number(row.successes),
    failures: Number(row.failures),
  }))
}
