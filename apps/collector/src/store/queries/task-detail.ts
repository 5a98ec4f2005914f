import type { ClickHouseClient } from '@clickhouse/client'
import type { SpanKind } from '@agentmeter/core'
import { dateTime64ToIso } from '../span-record'
import { planParams, rawSpansCondition } from '../rollups/plan'
import { taskAggregateSql } from './task-aggregate'
import { taskSpanPlan } from './task-span-plan'
import { toTaskSummary, type TaskAggregateRow, type TaskSummary } from './tasks'
import type { TimeRange } from './time-range'

export interface TaskSpan {
  spanId: string
  parentSpanId: string
  traceId: string
  name: string
  kind: SpanKind
  step: string
  provider: string
  model: string
  usage: {
    inputTokens: number
    outputTokens: number
    cacheReadTokens: number
    cacheWriteTokens: number
    reasoningTokens: number
  } | null
  costUsd: number | null
  priced: boolean
  /** Why the span is unpriced, or how its price was reached. */
  priceReason: string
  priceSource: string
  /** What was wrong with the reported usage and how it was read (never silently). */
  usageNotes: string[]
  startTime: string
  endTime: string
  status: 'unset' | 'ok' | 'error'
  statusMessage: string
  toolName: string
}

/** The task of `GET /api/v1/tasks/:taskId`: the list's fields and the task's score. */
export interface TaskDetailSummary extends TaskSummary {
  /**
   * `agentmeter.task.score` as the app recorded it on the task root (the earliest root that
   * has one, as the recommender reads it); `null` when none was recorded.
   */
  score: number | null
}

interface SpanDetailRow {
  span_id: string
  parent_span_id: string
  trace_id: string
  name: string
  kind: SpanKind
  step: string
  provider: string
  model: string
  usage_known: boolean
  input_tokens: string
  output_tokens: string
  cache_read_tokens: string
  cache_write_tokens: string
  reasoning_tokens: string
  cost: string | null
  /** Not `priced`: an alias of that name would replace the column inside the query. */
  has_price: boolean
  price_reason: string
  price_source: string
  usage_notes: string[]
  start: string
  end: string
  status: 'unset' | 'ok' | 'error'
  status_message: string
  tool_name: string
  is_task_root: boolean
  score: number | null
}

/**
 * One task and its spans. Both read only the hours the task has spans in: its hours in
 * `task_hour_index` that are current, and every stretch of the range that is not (where a
 * span of the task could be that no refresh has seen), instead of the whole range.
 */
export async function getTaskDetail(
  client: ClickHouseClient,
  query: { projectId: string; taskId: string; range: TimeRange },
): Promise<{ task: TaskDetailSummary; spans: TaskSpan[] } | null> {
  const plan = await taskSpanPlan(client, query)
  const params = { ...planParams(plan), taskId: query.taskId }
  const taskOnly = 'task_id = {taskId:String}'
  const summary = await client.query({
    query: `SELECT task_id, name, toString(task_start) AS task_start,
        toString(task_end) AS task_end, toString(cost) AS cost,
        toString(priced_calls) AS priced_calls, toString(unpriced_calls) AS unpriced_calls,
        toString(llm_calls) AS llm_calls, toString(tool_calls) AS tool_calls,
        toString(input_tokens) AS input_tokens, toString(output_tokens) AS output_tokens, outcome
      FROM (${taskAggregateSql(plan, undefined, taskOnly)})`,
    query_params: params,
    format: 'JSONEachRow',
  })
  const [row] = await summary.json<TaskAggregateRow>()
  if (!row) return null
  const result = await client.query({
    query: `SELECT span_id, parent_span_id, trace_id, name, kind, step, provider,
        if(response_model != '', response_model, request_model) AS model, usage_known,
        toString(input_tokens) AS input_tokens, toString(output_tokens) AS output_tokens,
        toString(cache_read_tokens) AS cache_read_tokens,
        toString(cache_write_tokens) AS cache_write_tokens,
        toString(reasoning_tokens) AS reasoning_tokens,
        if(priced, toString(cost_usd), if(isNotNull(tool_cost_usd), toString(tool_cost_usd), NULL)) AS cost,
        priced OR isNotNull(tool_cost_usd) AS has_price, price_reason, price_source, usage_notes,
        toString(start_time) AS start, toString(end_time) AS end, status, status_message, tool_name,
        is_task_root, score
      FROM spans FINAL
      WHERE ${rawSpansCondition(plan)} AND ${taskOnly}
      ORDER BY start_time, span_id`,
    query_params: params,
    format: 'JSONEachRow',
  })
  const rows = await result.json<SpanDetailRow>()
  // Rows come by start time, then span id: the first scored root is the earliest.
  const scored = rows.find((span) => span.is_task_root && Number.isFinite(span.score))
  // The same spans as the summary's sums: their model calls that reported no usage.
  const withoutUsage = rows.filter(
    (span) => (span.kind === 'llm' || span.kind === 'embedding') && !span.usage_known,
  ).length
  return {
    task: { ...toTaskSummary(row, withoutUsage), score: scored?.score ?? null },
    spans: rows.map(toTaskSpan),
  }
}

function toTaskSpan(row: SpanDetailRow): TaskSpan {
  return {
    spanId: row.span_id,
    parentSpanId: row.parent_span_id,
    traceId: row.trace_id,
    name: row.name,
    kind: row.kind,
    step: row.step,
    provider: row.provider,
    model: row.model,
    usage: row.usage_known
      ? {
          inputTokens: Number(row.input_tokens),
          outputTokens: Number(row.output_tokens),
          cacheReadTokens: Number(row.cache_read_tokens),
          cacheWriteTokens: Number(row.cache_write_tokens),
          reasoningTokens: Number(row.reasoning_tokens),
        }
      : null,
    costUsd: row.cost === null ? null : Number(row.cost),
    priced: row.has_price,
    priceReason: row.price_reason,
    priceSource: row.price_source,
    usageNotes: row.usage_notes,
    startTime: dateTime64ToIso(row.start),
    endTime: dateTime64ToIso(row.end),
    status: row.status,
    statusMessage: row.status_message,
    toolName: row.tool_name,
  }
}
