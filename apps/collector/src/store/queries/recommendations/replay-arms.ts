import type { ClickHouseClient } from '@clickhouse/client'
import type { ReplayArm } from '@agentmeter/core'
import { FILTER_BEFORE_FINAL, MODEL, STEP_CALLS, type ClusterQuery } from './scope'

export interface ReplayRow extends ReplayArm {
  taskName: string
  step: string
}

/** Shadow calls in range, with their propensity and the app's verdict (migration 50 columns). */
const SHADOW_CALLS = `
  SELECT trace_id, task_name, step, ${MODEL} AS model, provider, output_tokens,
    shadow_primary_span_id AS primary_id, shadow_propensity AS propensity, shadow_score AS score
  FROM spans FINAL
  WHERE project_id = {projectId:String}
    AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')}
    AND kind = 'llm' AND shadow
    AND ({taskName:String} = '' OR task_name = {taskName:String})`

/**
 * Each shadow call paired with the real call it copied (same trace, the primary's span id), per
 * step, primary model and shadow model: inverse-propensity weights and weighted verdicts, and
 * the output tokens of both sides for the output-length ratio. Shadow calls without a usable
 * propensity (in (0, 1]) or verdict cannot be weighted and are left out. The few shadow calls
 * are the hash side of the join; of the step's calls only those that carry a propensity (the
 * primaries of steps in shadow mode) stream past them.
 */
export async function queryReplayArms(
  client: ClickHouseClient,
  query: ClusterQuery,
): Promise<ReplayRow[]> {
  const result = await client.query({
    query: `SELECT s.task_name AS task_name, s.step AS step, p.model AS primary_model,
        s.model AS model, any(s.provider) AS provider, count() AS pairs,
        sum(1 / s.propensity) AS w, sum(1 / pow(s.propensity, 2)) AS ww,
        sum(assumeNotNull(s.score) / s.propensity) AS ws,
        sum(s.output_tokens) AS shadow_output, sum(p.output_tokens) AS primary_output
      FROM (
        SELECT trace_id, span_id, ${MODEL} AS model, output_tokens
        FROM spans FINAL
        WHERE ${STEP_CALLS} AND shadow_propensity > 0
      ) AS p
      INNER JOIN (${SHADOW_CALLS}) AS s
        ON s.trace_id = p.trace_id AND s.primary_id = p.span_id
      WHERE s.propensity > 0 AND s.propensity <= 1 AND s.score IS NOT NULL
        AND s.score >= 0 AND s.score <= 1
      GROUP BY task_name, step, primary_model, model`,
    query_params: query,
    clickhouse_settings: FILTER_BEFORE_FINAL,
    format: 'JSONEachRow',
  })
  const rows = await result.json<{
    task_name: string
    step: string
    primary_model: string
    model: string
    provider: string
    pairs: string
    w: number
    ww: number
    ws: number
    shadow_output: string
    primary_output: string
  }>()
  return rows.map((row) => {
    const primaryOutput = Number(row.primary_output)
    return {
      taskName: row.task_name,
      step: row.step,
      primaryModel: row.primary_model,
      model: row.model,
      provider: row.provider,
      pairs: Number(row.pairs),
      sample: { weight: row.w, weightSquared: row.ww, weightedScore: row.ws },
      outputRatio: primaryOutput > 0 ? Number(row.shadow_output) / primaryOutput : null,
    }
  })
}
