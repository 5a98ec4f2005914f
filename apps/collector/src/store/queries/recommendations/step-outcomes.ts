import type { ClickHouseClient } from '@clickhouse/client'
import { MODEL, STEP_CALLS, type ClusterQuery } from './scope'

export interface ArmOutcomeRow {
  taskName: string
  step: string
  model: string
  successes: number
  failures: number
}

/**
 * Outcomes of the tasks that ran each step on each model: a task counts once per (step, model)
 * it ran, with the outcome on its root span. A task that ran a step on two models counts for
 * both.
 */
export async function queryArmOutcomes(
  client: ClickHouseClient,
  query: ClusterQuery,
): Promise<ArmOutcomeRow[]> {
  const result = await client.query({
    query: `SELECT s.task_name AS task_name, s.step AS step, s.model AS model,
        countIf(o.task_outcome = 'success') AS successes,
        countIf(o.task_outcome = 'failure') AS failures
      FROM (
        SELECT DISTINCT task_name, step, ${MODEL} AS model, task_id
        FROM spans FINAL
        WHERE ${STEP_CALLS}
      ) AS s
      INNER JOIN (
        SELECT task_id, any(outcome) AS task_outcome
        FROM spans FINAL
        WHERE project_id = {projectId:String}
          AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')}
          AND is_task_root AND outcome != ''
        GROUP BY task_id
      ) AS o ON o.task_id = s.task_id
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
