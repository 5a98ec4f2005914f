import type { ClickHouseClient } from '@clickhouse/client'
import { EvidenceAttr } from '@agentmeter/core'
import type { TimeRange } from '../time-range'

/** LLM calls of the candidate steps, grouped by what their repricing depends on. */
export interface MatchedCallGroup {
  taskId: string
  step: string
  requestModel: string
  responseModel: string
  priced: boolean
  inputTokens: number
  outputTokens: number
  calls: number
  /** Decimal(38, 12) as text: the group's stored cost (0 when unpriced). */
  costUsd: string
}

/**
 * The LLM calls whose step is one of `steps` and whose requested or served model is one of
 * `models`, per task. Which task name each task has is decided by the task aggregate (a foreign
 * trace names its task on the root only), so the caller matches the exact (task name, step,
 * model) triples. Shadow calls are left out: they are the experiment, not the step's traffic.
 * Calls with the same input and output counts are priced alike, so they are grouped.
 */
export async function queryMatchedCalls(
  client: ClickHouseClient,
  query: { projectId: string; range: TimeRange; steps: string[]; models: string[] },
): Promise<MatchedCallGroup[]> {
  const result = await client.query({
    query: `SELECT task_id, step, request_model, response_model, priced,
        input_tokens, output_tokens, toString(count()) AS calls,
        toString(sum(ifNull(cost_usd, toDecimal128(0, 12)))) AS cost
      FROM spans FINAL
      WHERE project_id = {projectId:String}
        AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')}
        AND kind = 'llm'
        AND step IN {steps:Array(String)}
        AND (request_model IN {models:Array(String)} OR response_model IN {models:Array(String)})
        AND attributes[{shadowKey:String}] != 'true'
      GROUP BY task_id, step, request_model, response_model, priced, input_tokens, output_tokens`,
    query_params: { ...query.range, ...query, shadowKey: EvidenceAttr.shadow },
    format: 'JSONEachRow',
  })
  const rows = await result.json<{
    task_id: string
    step: string
    request_model: string
    response_model: string
    priced: boolean
    input_tokens: string | number
    output_tokens: string | number
    calls: string
    cost: string
  }>()
  return rows.map((row) => ({
    taskId: row.task_id,
    step: row.step,
    requestModel: row.request_model,
    responseModel: row.response_model,
    priced: Boolean(row.priced),
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    calls: Number(row.calls),
    costUsd: row.cost,
  }))
}

/** Every task of the range with its name, its stored cost and its unpriced calls. */
export interface TaskCost {
  taskId: string
  name: string
  costUsd: string
  unpricedCalls: number
}

export async function queryTaskCosts(
  client: ClickHouseClient,
  query: { projectId: string; range: TimeRange; aggregateSql: string },
): Promise<TaskCost[]> {
  const result = await client.query({
    query: `SELECT task_id, name, toString(cost) AS cost, toString(unpriced_calls) AS unpriced
      FROM (${query.aggregateSql})`,
    query_params: { projectId: query.projectId, ...query.range },
    format: 'JSONEachRow',
  })
  const rows = await result.json<{
    task_id: string
    name: string
    cost: string
    unpriced: string
  }>()
  return rows.map((row) => ({
    taskId: row.task_id,
    name: row.name,
    costUsd: row.cost,
    unpricedCalls: Number(row.unpriced),
  }))
}
