import type { ClickHouseClient } from '@clickhouse/client'
import type { ReplayArm } from '@agentmeter/core'
import { FILTER_BEFORE_FINAL } from './scope'
import { armKeySql, shadowRowsSql, sourceParams, type StepSource } from './sources'

export interface ReplayRow extends ReplayArm {
  taskName: string
  step: string
  /** The primary's system prompt hash (UInt64 as text) and input band index. */
  systemHash: string
  inputBand: number
}

/**
 * Each shadow call paired with the real call it copied (same trace, the primary's span id), per
 * step, primary model and shadow model: inverse-propensity weights and weighted verdicts, and
 * the output tokens of both sides for the output-length ratio. Shadow calls without a usable
 * propensity (in (0, 1]) or verdict cannot be weighted and are left out. Both sides come from
 * the shadow rows (the rollup's copies for current hours, the spans otherwise), so a pair that
 * straddles two hours is joined here, whichever side each hour is read from.
 */
export async function queryReplayArms(
  client: ClickHouseClient,
  source: StepSource,
): Promise<ReplayRow[]> {
  const result = await client.query({
    query: `WITH rows AS (${shadowRowsSql(source)})
      SELECT s.task_name AS task_name, s.step AS step, p.model AS primary_model,
        toString(any(p.system_hash)) AS system_hash, any(p.band) AS input_band,
        s.model AS model, any(s.provider) AS provider, count() AS pairs,
        sum(1 / s.propensity) AS w, sum(1 / pow(s.propensity, 2)) AS ww,
        sum(assumeNotNull(s.score) / s.propensity) AS ws,
        sum(s.output_tokens) AS shadow_output, sum(p.output_tokens) AS primary_output
      FROM (
        SELECT trace_id, span_id, model, system_hash, band, output_tokens FROM rows
        WHERE NOT shadow AND step != '' AND propensity > 0
      ) AS p
      INNER JOIN (SELECT * FROM rows WHERE shadow) AS s
        ON s.trace_id = p.trace_id AND s.primary_id = p.span_id
      WHERE s.propensity > 0 AND s.propensity <= 1 AND s.score IS NOT NULL
        AND s.score >= 0 AND s.score <= 1
      GROUP BY task_name, step, primary_model, model,
        ${armKeySql(source.keys, '0', 'p.system_hash', 'p.band')}`,
    query_params: sourceParams(source),
    clickhouse_settings: FILTER_BEFORE_FINAL,
    format: 'JSONEachRow',
  })
  const rows = await result.json<{
    task_name: string
    step: string
    primary_model: string
    system_hash: string
    input_band: number
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
      systemHash: row.system_hash,
      inputBand: Number(row.input_band),
      primaryModel: row.primary_model,
      model: row.model,
      provider: row.provider,
      pairs: Number(row.pairs),
      sample: { weight: row.w, weightSquared: row.ww, weightedScore: row.ws },
      outputRatio: primaryOutput > 0 ? Number(row.shadow_output) / primaryOutput : null,
    }
  })
}
