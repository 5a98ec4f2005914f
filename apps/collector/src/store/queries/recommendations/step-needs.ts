import type { ClickHouseClient } from '@clickhouse/client'
import type { StepNeeds } from '@agentmeter/core'
import { STEP_CALLS, type ClusterQuery } from './scope'

export interface StepNeedsRow extends StepNeeds {
  taskName: string
  step: string
}

/**
 * What a step's calls used, which a candidate must support: tools (a tool schema was sent, or
 * the model stopped to call one), structured output (`gen_ai.output.type = json`), images
 * (image tokens in the usage), and the 99th percentile of input tokens per call.
 */
export async function queryStepNeeds(
  client: ClickHouseClient,
  query: ClusterQuery,
): Promise<StepNeedsRow[]> {
  const result = await client.query({
    query: `SELECT task_name, step,
        max(tools_hash != 0 OR hasAny(finish_reasons, ['tool_calls', 'tool_use', 'function_call']))
          AS tools,
        max(output_type = 'json') AS structured,
        max(arrayExists(k -> positionCaseInsensitive(k, 'image') > 0, mapKeys(usage_extra)))
          AS vision,
        quantileExact(0.99)(input_tokens) AS p99
      FROM spans FINAL
      WHERE ${STEP_CALLS}
      GROUP BY task_name, step`,
    query_params: query,
    format: 'JSONEachRow',
  })
  const rows = await result.json<{
    task_name: string
    step: string
    tools: number | boolean
    structured: number | boolean
    vision: number | boolean
    p99: string | number
  }>()
  return rows.map((row) => ({
    taskName: row.task_name,
    step: row.step,
    tools: Boolean(Number(row.tools)),
    structuredOutput: Boolean(Number(row.structured)),
    vision: Boolean(Number(row.vision)),
    p99InputTokens: Number(row.p99),
  }))
}
