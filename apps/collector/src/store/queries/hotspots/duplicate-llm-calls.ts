import { MODEL, runDetectorSql, SCOPE, type Detector } from './detector'

/** The calls that can be duplicates (a failed or unpriced call wastes no known dollars). */
const CALL_FILTER = `${SCOPE} AND kind = 'llm' AND request_hash != 0 AND status != 'error' AND priced`

/**
 * Exact duplicate LLM calls: the same request hash (model, parameters, messages, tools) again
 * within a task, or in another task within `window` seconds of the previous one. Every member
 * after the first is waste at its own price. A repeat whose group gave different answers while
 * sampling (temperature above zero or unset, or n > 1) is intentional resampling and is left out;
 * equal answers make it a deterministic duplicate whatever the temperature. Only a request hash
 * seen twice can be a duplicate, so the windows run over those calls alone: a pass over one
 * UInt64 column first, instead of sorting every call with its attributes.
 */
export const DUPLICATE_LLM_CALLS_SQL = `
  WITH calls AS (
    SELECT task_id, task_name, step, ${MODEL} AS model, span_id, start_time, request_hash,
      response_hash, cost_usd,
      attributes['gen_ai.request.temperature'] AS temperature_text,
      toUInt64OrZero(attributes['gen_ai.request.choice.count']) AS choices
    FROM spans FINAL
    WHERE ${CALL_FILTER}
      AND request_hash IN (
        SELECT request_hash FROM spans FINAL WHERE ${CALL_FILTER}
        GROUP BY request_hash HAVING count() > 1)
  ),
  ranked AS (
    SELECT *,
      row_number() OVER (PARTITION BY task_id, request_hash ORDER BY start_time, span_id) AS nth_in_task,
      lagInFrame(start_time, 1, toDateTime64(0, 9, 'UTC')) OVER (
        PARTITION BY request_hash ORDER BY start_time, span_id
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS previous_time,
      uniqExactIf(response_hash, response_hash != 0) OVER (PARTITION BY request_hash) AS answers
    FROM calls
  ),
  duplicates AS (
    SELECT *,
      answers > 1 AND (choices > 1 OR temperature_text = '' OR toFloat64OrZero(temperature_text) > 0)
        AS resample
    FROM ranked
    WHERE nth_in_task > 1
      OR (previous_time > toDateTime64(0, 9, 'UTC')
          AND dateDiff('second', previous_time, start_time) <= {window:UInt32})
  )
  SELECT task_name, step, model, '' AS tool,
    if(answers > 1, 'same_request_different_answer', 'deterministic') AS detail,
    toString(toDate(start_time)) AS day,
    toString(count()) AS occurrences, toString(sum(cost_usd)) AS wasted,
    groupUniqArray(EXAMPLES)(task_id) AS example_tasks, groupArray(EXAMPLES)(task_id) AS example_span_tasks, groupArray(EXAMPLES)(span_id) AS example_spans,
    groupArray(span_id) AS claimed_spans
  FROM duplicates
  WHERE NOT resample
  GROUP BY task_name, step, model, detail, day
`

export const detectDuplicateLlmCalls: Detector = (client, query) =>
  runDetectorSql(client, 'duplicate_llm_call', DUPLICATE_LLM_CALLS_SQL, query)
