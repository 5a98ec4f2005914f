import { runDetectorSql, SCOPE, UNCLAIMED, type Detector } from './detector'

/**
 * Repeated read-only tool calls: the same tool with the same argument hash again in a task,
 * returning the same result hash as the first call (an unchanged result is the read-only
 * evidence; a changed one means something wrote in between, so the call was needed). A repeat
 * costs its own fee plus re-ingestion: its result tokens at the effective input rate of every
 * later LLM call of the task, since each of them carries the result again (a later call priced
 * whole by another cause is already waste, tokens and all, so it is not counted again).
 */
export const REPEATED_TOOL_CALLS_SQL = `
  WITH tools AS (
    SELECT task_id, task_name, step, tool_name, span_id, start_time, end_time, tool_args_hash,
      tool_result_hash,
      toUInt64OrZero(attributes['agentmeter.tool.result_tokens']) AS result_tokens,
      ifNull(tool_cost_usd, toDecimal128(0, 12)) AS fee
    FROM spans FINAL
    WHERE ${SCOPE} AND kind = 'tool' AND tool_args_hash != 0 AND tool_result_hash != 0
      AND status != 'error'
  ),
  ranked AS (
    SELECT *,
      row_number() OVER w AS nth,
      first_value(tool_result_hash) OVER w AS first_result
    FROM tools
    WINDOW w AS (PARTITION BY task_id, tool_name, tool_args_hash ORDER BY start_time, span_id
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
  ),
  repeats AS (
    SELECT * FROM ranked WHERE nth > 1 AND tool_result_hash = first_result
  ),
  later_calls AS (
    SELECT task_id, start_time,
      input_cost_usd / toDecimal128(input_tokens, 0) AS input_rate
    FROM spans FINAL
    WHERE ${SCOPE} AND kind = 'llm' AND priced AND input_tokens > 0
      AND input_cost_usd IS NOT NULL
      AND task_id IN (SELECT task_id FROM repeats) AND ${UNCLAIMED('span_id')}
  ),
  reingested AS (
    SELECT r.span_id AS span_id,
      sumIf(toDecimal128(r.result_tokens, 0) * l.input_rate, l.start_time >= r.end_time) AS cost
    FROM repeats AS r
    INNER JOIN later_calls AS l ON l.task_id = r.task_id
    GROUP BY r.span_id
  )
  SELECT r.task_name AS task_name, r.step AS step, '' AS model, r.tool_name AS tool,
    'same_result' AS detail, toString(toDate(r.start_time)) AS day,
    toString(count()) AS occurrences,
    toString(sum(r.fee + ifNull(c.cost, toDecimal128(0, 12)))) AS wasted,
    groupUniqArray(EXAMPLES)(r.task_id) AS example_tasks, groupArray(EXAMPLES)(r.task_id) AS example_span_tasks, groupArray(EXAMPLES)(r.span_id) AS example_spans
  FROM repeats AS r
  LEFT JOIN reingested AS c ON c.span_id = r.span_id
  GROUP BY task_name, step, tool, day
`

export const detectRepeatedToolCalls: Detector = (client, query) =>
  runDetectorSql(client, 'repeated_tool_call', REPEATED_TOOL_CALLS_SQL, query)
