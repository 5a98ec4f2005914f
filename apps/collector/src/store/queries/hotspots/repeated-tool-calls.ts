import {
  MILLIS,
  runDetectorSql,
  SCOPE,
  TASK_GAP_MILLIS,
  TASK_GAP_SECONDS,
  UNCLAIMED,
  type Detector,
} from './detector'

/**
 * Repeated read-only tool calls: the same tool with the same argument hash again in a task
 * within `TASK_GAP_SECONDS`, returning the same result hash as the first of them (an unchanged
 * result is the read-only evidence; a changed one means something wrote in between, so the
 * call was needed). A repeat costs its own fee, counted at the repeat, plus re-ingestion: its
 * result tokens at the effective input rate (its input cost over its input tokens) of every later LLM call of the task within
 * `TASK_GAP_SECONDS` of it, counted at that later call (it is the call that paid for them). A
 * later call priced whole by another cause is already waste, tokens and all, so it is not
 * counted again.
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
      argMin(span_id, (start_time, span_id)) OVER w AS first_span,
      argMin(tool_result_hash, (start_time, span_id)) OVER w AS first_result
    FROM tools
    WINDOW w AS (PARTITION BY task_id, tool_name, tool_args_hash ORDER BY ${MILLIS('start_time')}
      RANGE BETWEEN ${TASK_GAP_MILLIS} PRECEDING AND CURRENT ROW)
  ),
  repeats AS (
    SELECT * FROM ranked WHERE first_span != span_id AND tool_result_hash = first_result
  ),
  later_calls AS (
    SELECT task_id, span_id, start_time, input_cost_usd, input_tokens
    FROM spans FINAL
    WHERE ${SCOPE} AND kind = 'llm' AND priced AND input_tokens > 0
      AND input_cost_usd IS NOT NULL AND TARGET(start_time) AND ${UNCLAIMED('span_id')}
      AND task_id IN (SELECT task_id FROM repeats)
  ),
  charged AS (
    SELECT task_id, task_name, step, tool_name, span_id, start_time, 1 AS occurrence, fee AS cost
    FROM repeats
    WHERE TARGET(start_time)
    UNION ALL
    SELECT r.task_id, r.task_name, r.step, r.tool_name, r.span_id, l.start_time, 0,
      -- Multiplied before the division: a Decimal quotient is cut at 12 places, and a per-token
      -- rate cut there would carry its error times every result token.
      toDecimal128(r.result_tokens, 0) * l.input_cost_usd / toDecimal128(l.input_tokens, 0)
    FROM repeats AS r
    INNER JOIN later_calls AS l ON l.task_id = r.task_id
    WHERE l.start_time >= r.end_time
      AND dateDiff('second', r.start_time, l.start_time) <= ${TASK_GAP_SECONDS}
  )
  SELECT task_name, step, '' AS model, tool_name AS tool,
    'same_result' AS detail, BUCKET(start_time) AS day,
    toString(sum(occurrence)) AS occurrences, toString(sum(cost)) AS wasted,
    groupUniqArrayIf(EXAMPLES)(task_id, occurrence = 1) AS example_tasks,
    groupArrayIf(EXAMPLES)(task_id, occurrence = 1) AS example_span_tasks,
    groupArrayIf(EXAMPLES)(span_id, occurrence = 1) AS example_spans
  FROM charged
  GROUP BY task_name, step, tool, day
`

export const detectRepeatedToolCalls: Detector = (client, query) =>
  runDetectorSql(client, 'repeated_tool_call', REPEATED_TOOL_CALLS_SQL, query)
