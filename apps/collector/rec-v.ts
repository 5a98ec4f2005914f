import { createClient } from '@clickhouse/client'
import { createChdbConnection } from 'chdb/connection'
const client = createClient({ connection: createChdbConnection({ path: '/tmp/recbench-1m' }) as any })
const inner = (final: string) => `SELECT task_name, step, if(response_model != '', response_model, request_model) AS model, cityHash64(task_name, step, model) AS arm_key, provider, priced, status, task_id,
          request_hash, tools_hash, finish_reasons, output_type, usage_extra,
          input_tokens, output_tokens, arrayCount(edge -> input_tokens > edge, [32000, 128000, 200000, 272000, 1000000]) AS band,
          if(priced, input_tokens, 0) AS p_input, if(priced, output_tokens, 0) AS p_output,
          if(priced, ifNull(cost_usd, toDecimal128(0, 12)), toDecimal128(0, 12)) AS p_cost,
          toFloat64(p_cost) AS p_cost_f, toFloat64(p_input) AS p_input_f, toFloat64(p_output) AS p_output_f
        FROM spans ${final} WHERE project_id = 'p' AND kind = 'llm' AND step != '' AND NOT shadow`
const parts: Record<string, string> = {
  base: 'count()',
  uniq: `countIf(request_hash != 0) - uniqIf((task_id, request_hash), request_hash != 0)`,
  sumMap: `sumMap(finish_reasons, arrayMap(reason -> toUInt64(1), finish_reasons))`,
  caps: `max(tools_hash != 0 OR hasAny(finish_reasons, ['tool_calls', 'tool_use', 'function_call'])), max(output_type = 'json'), max(arrayExists(k -> positionCaseInsensitive(k, 'image') > 0, mapKeys(usage_extra)))`,
  p99: 'quantileExact(0.99)(input_tokens)',
  resample3: `sumResample(0,6,1)(toUInt64(priced), band), sumResample(0,6,1)(p_input, band), sumResample(0,6,1)(p_cost, band)`,
  moments: `sumResample(0,6,1)(p_cost_f * p_cost_f, band), sumResample(0,6,1)(p_input_f * p_input_f, band), sumResample(0,6,1)(p_output_f*p_output_f, band), sumResample(0,6,1)(p_cost_f * p_input_f, band), sumResample(0,6,1)(p_cost_f*p_output_f, band), sumResample(0,6,1)(p_input_f*p_output_f, band)`,
}
for (const final of ['FINAL', '']) for (const [name, agg] of Object.entries(parts)) {
  const sql = `SELECT task_name, step, model, ${agg} FROM (${inner(final)}) GROUP BY task_name, step, model`
  const start = Date.now(); await (await client.query({ query: sql, format: 'JSONEachRow', clickhouse_settings: { optimize_move_to_prewhere_if_final: 1 } })).json(); console.log(final || 'nofinal', name, Date.now() - start)
}
await client.close()
