import type { ClickHouseClient } from '@clickhouse/client'
import { INPUT_BAND_EDGES, type BandMix, type StepNeeds } from '@agentmeter/core'
import { FILTER_BEFORE_FINAL, PER_BAND } from './scope'
import { armKeySql, armPartsSql, sourceParams, type StepSource } from './sources'

/** A step's calls on one model, with their priced token mix by input band. */
export interface ArmRow {
  /** ARM_KEY, as text (a UInt64). */
  arm: string
  taskName: string
  step: string
  model: string
  provider: string
  /** The system prompt hash (a UInt64 as text) and input band index, when keys split on them. */
  systemHash: string
  inputBand: number
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
  system_hash: string
  input_band: number
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
 * Per (task name, step, model), and per system prompt hash and input band when those keys are
 * asked, grouped by the 64-bit arm key (far cheaper than string keys): the calls, tokens,
 * errors, retries, finish reasons and capabilities used, and per input band (`-Resample`
 * arrays) the priced calls' tokens, exact Decimal spend and the moments behind the savings
 * interval, all combined from the arm parts of `rollups/step-partials.ts` (the current hours'
 * rollup and the spans of the rest). The moments are exact integer sums until this last step.
 * The p99 input is the `quantileExact` rule (the value at index floor(0.99 n)) on the parts'
 * input grid.
 */
export async function queryArms(client: ClickHouseClient, source: StepSource): Promise<ArmRow[]> {
  const sum = (column: string) => `sum${PER_BAND}(${column}, band)`
  const float = (column: string, scale: string) =>
    `arrayMap(x -> toFloat64(x) / ${scale}, ${sum(column)})`
  const result = await client.query({
    query: `SELECT toString(arm_key) AS arm, any(task_name) AS task_name, any(step) AS step,
        any(model) AS model, any(provider) AS provider,
        toString(any(system_hash)) AS system_hash, any(band) AS input_band,
        sum(p_calls) AS calls, sum(p_unpriced) AS unpriced,
        sum(p_input) AS all_input, sum(p_output) AS all_output,
        sum(p_errors) AS errors, sum(p_retries) AS retries,
        sumMap(p_finish.1, p_finish.2) AS finish,
        max(p_tools) AS tools, max(p_structured) AS structured, max(p_vision) AS vision,
        sumMap(p_input_grid.1, p_input_grid.2) AS grid,
        grid.1[arrayFirstIndex(c -> c > toUInt64(0.99 * arraySum(grid.2)), arrayCumSum(grid.2))]
          AS p99,
        ${sum('p_priced')} AS b_calls,
        ${sum('p_priced_input')} AS b_input, ${sum('p_priced_output')} AS b_output,
        arrayMap(x -> toString(x), ${sum('p_cost')}) AS b_cost,
        ${float('p_cc', '1e24')} AS b_cc, ${float('p_ii', '1')} AS b_ii,
        ${float('p_oo', '1')} AS b_oo, ${float('p_ci', '1e12')} AS b_ci,
        ${float('p_co', '1e12')} AS b_co, ${float('p_io', '1')} AS b_io
      FROM (
        SELECT ${armKeySql(source.keys, 'cityHash64(task_name, step, model)', 'system_hash', 'band')}
          AS arm_key, *
        FROM (${armPartsSql(source)})
      )
      GROUP BY arm_key`,
    query_params: sourceParams(source),
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
    systemHash: row.system_hash,
    inputBand: Number(row.input_band),
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
