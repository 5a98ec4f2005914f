import {
  ANSWER_SPAN_SECONDS,
  MODEL,
  MILLIS,
  runDetectorSql,
  SCOPE,
  TASK_GAP_SECONDS,
  type Detector,
} from './detector'

/** The calls that can be duplicates (a failed or unpriced call wastes no known dollars). */
const CALL_FILTER = `${SCOPE} AND kind = 'llm' AND request_hash != 0 AND status != 'error' AND priced`

const ZERO_TIME = `toDateTime64(0, 9, 'UTC')`
const ROWS = 'ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW'

/**
 * Exact duplicate LLM calls: the same request hash (model, parameters, messages, tools) again
 * in the same task within `TASK_GAP_SECONDS`, or in any task within `window` seconds of the
 * previous one. Every member after the first is waste at its own price. A repeat whose
 * request got different answers within `ANSWER_SPAN_SECONDS` either side while sampling
 * (temperature above zero or unset, or n > 1) is intentional resampling and is left out; equal
 * answers make it a deterministic duplicate whatever the temperature. Only a request hash seen
 * twice can be a duplicate, so the windows run over those calls alone: a pass over one UInt64
 * column first, instead of sorting every call with its attributes.
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
      lagInFrame(start_time, 1, ${ZERO_TIME}) OVER (
        PARTITION BY task_id, request_hash ORDER BY start_time, span_id ${ROWS}) AS previous_in_task,
      lagInFrame(start_time, 1, ${ZERO_TIME}) OVER (
        PARTITION BY request_hash ORDER BY start_time, span_id ${ROWS}) AS previous_time,
      uniqExactIf(response_hash, response_hash != 0) OVER (
        PARTITION BY request_hash ORDER BY ${MILLIS('start_time')}
        RANGE BETWEEN ${ANSWER_SPAN_SECONDS}000 PRECEDING
          AND ${ANSWER_SPAN_SECONDS}000 FOLLOWING) AS answers
    FROM calls
  ),
  duplicates AS (
    SELECT *,
      answers > 1 AND (choices > 1 OR temperature_text = '' OR toFloat64OrZero(temperature_text) > 0)
        AS resample
    FROM ranked
    WHERE TARGET(start_time) AND (
      (previous_in_task > ${ZERO_TIME}
        AND dateDiff('second', previous_in_task, start_time) <= ${TASK_GAP_SECONDS})
      OR (previous_time > ${ZERO_TIME}
        AND dateDiff('second', previous_time, start_time) <= {window:UInt32}))
  )
  SELECT task_name, step, model, '' AS tool,
    if(answers > 1, 'same_request_different_answer', 'deterministic') AS detail,
    BUCKET(start_time) AS day,
    toString(count()) AS occurrences, toString(sum(cost_usd)) AS wasted,
    groupUniqArray(EXAMPLES)(task_id) AS example_tasks, groupArray(EXAMPLES)(task_id) AS example_span_tasks, groupArray(EXAMPLES)(span_id) AS example_spans,
    groupArray(span_id) AS claimed_spans
  FROM duplicates
  WHERE NOT resample
  GROUP BY task_name, step, model, detail, day
`

export const detectDuplicateLlmCalls: Detector = (client, query) =>
  runDetectorSql(client, 'duplicate_llm_call', DUPLICATE_LLM_CALLS_SQL, query)
