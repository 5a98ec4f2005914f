import type { ClickHouseClient } from '@clickhouse/client'
import type { BandMix } from '@agentmeter/core'
import { BAND, MODEL, STEP_CALLS, type ClusterQuery } from './scope'

/** One (task name, step, model, input band) group of the step's calls. */
export interface ArmBandRow {
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
  /** The priced calls of the group (absent when none was priced). */
  mix: BandMix | null
}

interface RawRow {
  task_name: string
  step: string
  model: string
  provider: string
  band: number
  calls: string
  unpriced: string
  priced_calls: string
  priced_input: string
  priced_output: string
  cost: string | null
  cc: number
  ii: number
  oo: number
  ci: number
  co: number
  io: number
  all_input: string
  all_output: string
  errors: string
  retries: string
  finish: [string[], string[]]
}

/**
 * Calls, tokens, spend and per-call moments of each step and model, by input band. Money is
 * summed as Decimal and leaves the store as text; the float moments only feed the savings
 * interval. A retry is a call whose request (same request hash) the task already sent.
 */
export async function queryArmBands(
  client: ClickHouseClient,
  query: ClusterQuery,
): Promise<ArmBandRow[]> {
  const result = await client.query({
    query: `SELECT task_name, step, ${MODEL} AS model, any(provider) AS provider, ${BAND} AS band,
        count() AS calls, countIf(NOT priced) AS unpriced, countIf(priced) AS priced_calls,
        sumIf(input_tokens, priced) AS priced_input, sumIf(output_tokens, priced) AS priced_output,
        toString(sumIf(cost_usd, priced)) AS cost,
        sumIf(pow(toFloat64(cost_usd), 2), priced) AS cc,
        sumIf(pow(toFloat64(input_tokens), 2), priced) AS ii,
        sumIf(pow(toFloat64(output_tokens), 2), priced) AS oo,
        sumIf(toFloat64(cost_usd) * input_tokens, priced) AS ci,
        sumIf(toFloat64(cost_usd) * output_tokens, priced) AS co,
        sumIf(toFloat64(input_tokens) * output_tokens, priced) AS io,
        sum(input_tokens) AS all_input, sum(output_tokens) AS all_output,
        countIf(status = 'error') AS errors,
        countIf(request_hash != 0) - uniqExactIf((task_id, request_hash), request_hash != 0)
          AS retries,
        sumMap(finish_reasons, arrayMap(reason -> toUInt64(1), finish_reasons)) AS finish
      FROM spans FINAL
      WHERE ${STEP_CALLS}
      GROUP BY task_name, step, model, band`,
    query_params: query,
    format: 'JSONEachRow',
  })
  const rows = await result.json<RawRow>()
  return rows.map((row) => {
    const priced = Number(row.priced_calls)
    return {
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
      mix:
        priced > 0 && row.cost !== null
          ? {
              band: Number(row.band),
              calls: priced,
              inputTokens: Number(row.priced_input),
              outputTokens: Number(row.priced_output),
              costUsd: row.cost,
              moments: { cc: row.cc, ii: row.ii, oo: row.oo, ci: row.ci, co: row.co, io: row.io },
            }
          : null,
    }
  })
}
