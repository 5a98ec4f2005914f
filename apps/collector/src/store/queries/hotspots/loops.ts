import {
  MILLIS,
  runDetectorSql,
  SCOPE,
  TASK_GAP_MILLIS,
  UNCLAIMED,
  type Detector,
} from './detector'

/** A (step, tool, arguments) that comes back this many times inside one task is a loop. */
export const LOOP_MIN_REPEATS = 3

/**
 * Loops: the same step calling the same tool with the same arguments at least
 * `LOOP_MIN_REPEATS` times in one task within `TASK_GAP_SECONDS` either side (MAST's step
 * repetition), whatever the results. The waste is the decision each repetition cost: the LLM
 * call of the task that immediately preceded each repeated tool call (the one that asked for
 * it), for every occurrence after the first, counted at that call. A repetition with no LLM
 * call since the previous occurrence (several calls asked for in one answer) cost no decision
 * of its own: the call before it asked for the earlier occurrence, and counting it again would
 * price one call twice. The re-ingested results are priced by the repeated-tool-call detector,
 * so nothing counts twice; a decider already priced whole as a duplicate is not priced again.
 */
export const LOOPS_SQL = `
  WITH tools AS (
    SELECT task_id, task_name, step, tool_name, span_id, start_time, tool_args_hash,
      argMin(span_id, (start_time, span_id)) OVER back AS first_span,
      lagInFrame(start_time) OVER w AS previous_time,
      count() OVER around AS repeats
    FROM spans FINAL
    WHERE ${SCOPE} AND kind = 'tool' AND tool_args_hash != 0
    WINDOW w AS (PARTITION BY task_id, step, tool_name, tool_args_hash ORDER BY start_time, span_id
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW),
      back AS (PARTITION BY task_id, step, tool_name, tool_args_hash
        ORDER BY ${MILLIS('start_time')} RANGE BETWEEN ${TASK_GAP_MILLIS} PRECEDING AND CURRENT ROW),
      around AS (PARTITION BY task_id, step, tool_name, tool_args_hash
        ORDER BY ${MILLIS('start_time')} RANGE BETWEEN ${TASK_GAP_MILLIS} PRECEDING AND ${TASK_GAP_MILLIS} FOLLOWING)
  ),
  looped AS (
    SELECT * FROM tools WHERE repeats >= ${LOOP_MIN_REPEATS} AND first_span != span_id
  ),
  deciders AS (
    SELECT task_id, start_time, span_id, cost_usd
    FROM spans FINAL
    WHERE ${SCOPE} AND kind = 'llm' AND priced AND task_id IN (SELECT task_id FROM looped)
  )
  SELECT l.task_name AS task_name, l.step AS step, '' AS model, l.tool_name AS tool,
    'same_step_same_args' AS detail, BUCKET(d.start_time) AS day,
    toString(count()) AS occurrences, toString(sum(d.cost_usd)) AS wasted,
    groupUniqArray(EXAMPLES)(l.task_id) AS example_tasks, groupArray(EXAMPLES)(l.task_id) AS example_span_tasks, groupArray(EXAMPLES)(d.span_id) AS example_spans,
    groupUniqArray(d.span_id) AS claimed_spans
  FROM looped AS l
  ASOF INNER JOIN deciders AS d ON d.task_id = l.task_id AND d.start_time <= l.start_time
  WHERE d.start_time > l.previous_time AND TARGET(d.start_time) AND ${UNCLAIMED('d.span_id')}
  GROUP BY task_name, step, tool, day
`

export const detectLoops: Detector = (client, query) =>
  runDetectorSql(client, 'loop', LOOPS_SQL, query)
