import type { ClickHouseClient } from '@clickhouse/client'
import { MODEL, type ClusterQuery } from './scope'

export interface ArmOutcomeRow {
  taskName: string
  step: string
  model: string
  successes: number
  failures: number
}

/**
 * Outcomes of the tasks that ran each step on each model: one pass grouped by task collects the
 * root's outcome and the distinct (task name, step, model) arms the task's step calls ran on;
 * each task then counts once per arm. A task that ran a step on two models counts for both.
 * Grouping by task rather than joining the calls to their roots keeps the work to one scan.
 */
export async function queryArmOutcomes(
  client: ClickHouseClient,
  query: ClusterQuery,
): Promise<ArmOutcomeRow[]> {
  const result = await client.query({
    query: `SELECT arm.1 AS task_name, arm.2 AS step, arm.3 AS model,
        countIf(task_outcome = 'success') AS successes,
        countIf(task_outcome = 'failure') AS failures
      FROM (
        SELECT task_id,
          anyIf(outcome, is_task_root AND outcome != '') AS task_outcome,
          groupUniqArrayIf((task_name, step, ${MODEL}), kind = 'llm' AND step != '' AND NOT shadow)
            AS arms
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
      GROUP BY task_name, step, model`,
    query_params: query,
    format: 'JSONEachRow',
  })
  const rows = await result.json<{
    task_name: string
    step: string
    model: string
    successes: string
    failures: string
  }>()
  return rows.map((row) => ({
    taskName: row.task_name,
    step: row.step,
    model: row.model,
    successes: Number(row.successes),
    failures: Number(row.failures),
  }))
}
