import type { ClickHouseClient } from '@clickhouse/client'
import { INPUT_BAND_EDGES, type BandMix, type StepNeeds } from '@agentmeter/core'
import {
  ARM_KEY,
  BAND_INDEX,
  FILTER_BEFORE_FINAL,
  MODEL,
  PER_BAND,
  STEP_CALLS,
  type ClusterQuery,
} from './scope'

/** A step's calls on one model, with their priced token mix by input band. */
export interface ArmRow {
  /** ARM_KEY, as text (a UInt64). */
  arm: string
  taskName: string
  step: string
  model: string
  provider: string
  calls: number
  unpricedCalls: number
  inputTokens: number
  outputTokens: number
  errors: number
  retries: number
  finishReasons: Record<string, number>
  /** Priced calls only, one entry per band that has any. */
  bands: BandMix[]
  /** What these calls used; the step needs what any of its models' calls used. */
  needs: StepNeeds
}

type PerBand = Array<number | string>

interface RawRow {
  arm: string
  task_name: string
  step: string
  model: string
  provider: string
  calls: string
  unpriced: string
  all_input: string
  all_output: string
  errors: string
  retries: string
  finish: [string[], string[]]
  tools: number | boolean
  structured: number | boolean
  vision: number | boolean
  p99: string | number
  b_calls: PerBand
  b_input: PerBand
  b_output: PerBand
  b_cost: PerBand
  b_cc: PerBand
  b_ii: PerBand
  b_oo: PerBand
  b_ci: PerBand
  b_co: PerBand
  b_io: PerBand
}

/**
 * One pass over the step calls: per (task name, step, model), grouped by its 64-bit key (far
 * cheaper than three string keys), the calls, tokens, errors, retries,
 * finish reasons and capabilities used, and per input band (`-Resample` arrays) the priced
 * calls' tokens, exact Decimal spend and the float moments behind the savings interval. A retry
 * is a call whose request (same request hash) the task already sent; it is counted with `uniq`
 * (approximate, within about 2%), as an exact distinct count over every call would cost more
 * than the rest of the query.
 */
export async function queryArms(client: ClickHouseClient, query: ClusterQuery): Promise<ArmRow[]> {
  const sum = (column: string) => `sum${PER_BAND}(${column}, band)`
  const result = await client.query({
    query: `SELECT toString(arm_key) AS arm, any(task_name) AS task_name, any(step) AS step,
        any(model) AS model, any(provider) AS provider,
        count() AS calls, countIf(NOT priced) AS unpriced,
        sum(input_tokens) AS all_input, sum(output_tokens) AS all_output,
        countIf(status = 'error') AS errors,
        countIf(request_hash != 0) - uniqIf((task_id, request_hash), request_hash != 0) AS retries,
        sumMap(finish_reasons, arrayMap(reason -> toUInt64(1), finish_reasons)) AS finish,
        max(tools_hash != 0 OR hasAny(finish_reasons, ['tool_calls', 'tool_use', 'function_call']))
          AS tools,
        max(output_type = 'json') AS structured,
        max(arrayExists(k -> positionCaseInsensitive(k, 'image') > 0, mapKeys(usage_extra)))
          AS vision,
        quantileExact(0.99)(input_tokens) AS p99,
        ${sum('toUInt64(priced)')} AS b_calls,
        ${sum('p_input')} AS b_input, ${sum('p_output')} AS b_output,
        arrayMap(x -> toString(x), ${sum('p_cost')}) AS b_cost,
        ${sum('p_cost_f * p_cost_f')} AS b_cc, ${sum('p_input_f * p_input_f')} AS b_ii,
        ${sum('p_output_f * p_output_f')} AS b_oo, ${sum('p_cost_f * p_input_f')} AS b_ci,
        ${sum('p_cost_f * p_output_f')} AS b_co, ${sum('p_input_f * p_output_f')} AS b_io
      FROM (
        SELECT task_name, step, ${MODEL} AS model, ${ARM_KEY} AS arm_key, provider, priced, status, task_id,
          request_hash, tools_hash, finish_reasons, output_type, usage_extra,
          input_tokens, output_tokens, ${BAND_INDEX} AS band,
          if(priced, input_tokens, 0) AS p_input, if(priced, output_tokens, 0) AS p_output,
          if(priced, ifNull(cost_usd, toDecimal128(0, 12)), toDecimal128(0, 12)) AS p_cost,
          toFloat64(p_cost) AS p_cost_f, toFloat64(p_input) AS p_input_f,
          toFloat64(p_output) AS p_output_f
        FROM spans FINAL
        WHERE ${STEP_CALLS}
      )
      GROUP BY arm_key`,
    query_params: query,
    clickhouse_settings: FILTER_BEFORE_FINAL,
    format: 'JSONEachRow',
  })
  return (await result.json<RawRow>()).map(toArm)
}

function toArm(row: RawRow): ArmRow {
  const bands: BandMix[] = []
  INPUT_BAND_EDGES.forEach((edge, i) => {
    const calls = Number(row.b_calls[i])
    if (calls === 0) return
    bands.push({
      band: edge,
      calls,
      inputTokens: Number(row.b_input[i]),
      outputTokens: Number(row.b_output[i]),
      costUsd: String(row.b_cost[i]),
      moments: {
        cc: Number(row.b_cc[i]),
        ii: Number(row.b_ii[i]),
        oo: Number(row.b_oo[i]),
        ci: Number(row.b_ci[i]),
        co: Number(row.b_co[i]),
        io: Number(row.b_io[i]),
      },
    })
  })
  return {
    arm: row.arm,
    taskName: row.task_name,
    step: row.step,
    model: row.model,
    provider: row.provider,
    calls: Number(row.calls),
    unpricedCalls: Number(row.unpriced),
    inputTokens: Number(row.all_input),
    outputTokens: Number(row.all_output),
    errors: Number(row.errors),
    retries: Number(row.retries),
    finishReasons: Object.fromEntries(
      row.finish[0].map((reason, i) => [reason, Number(row.finish[1][i])]),
    ),
    bands,
    needs: {
      tools: Boolean(Number(row.tools)),
      structuredOutput: Boolean(Number(row.structured)),
      vision: Boolean(Number(row.vision)),
      p99InputTokens: Number(row.p99),
    },
  }
}
