import {
  MODEL,
  MILLIS,
  runDetectorSql,
  SCOPE,
  TASK_GAP_MILLIS,
  UNCLAIMED,
  type Detector,
} from './detector'

/**
 * Two prompts are near duplicates when their tails share at least this many of the 32 MinHash
 * bands: with 4 rows a band, a share of b/32 estimates J⁴, so 4 bands means an estimated word
 * 3-shingle Jaccard of about 0.59, well clear of unrelated prompts (J near 0).
 */
export const NEAR_DUPLICATE_MIN_BANDS = 4

/**
 * Near-duplicate prompts, priced as what a response cache could save: a call whose prompt tail
 * shares at least `NEAR_DUPLICATE_MIN_BANDS` bands with an earlier call of the hour before it
 * that got the same answer (a near-identical prompt whose answer depends on fresh data is not
 * reusable, so it costs nothing here), at its own cost, under its own task, step and model.
 * Each band value names its earliest call with that answer in the hour before (its head); a
 * call linked to one head by enough bands is the near duplicate. Linking to heads (not to
 * every other call) keeps the work linear in the calls of a band instead of quadratic. An
 * exact repeat of an earlier request is left to the duplicate detector.
 */
export const NEAR_DUPLICATE_PROMPTS_SQL = `
  WITH calls AS (
    SELECT span_id, task_id, task_name, step, ${MODEL} AS model, start_time, request_hash,
      response_hash, cost_usd, minhash
    FROM spans FINAL
    WHERE ${SCOPE} AND kind = 'llm' AND length(minhash) > 0 AND priced AND response_hash != 0
  ),
  heads AS (
    SELECT span_id,
      argMin(span_id, (start_time, span_id)) OVER (
        PARTITION BY band_no, band, response_hash ORDER BY ${MILLIS('start_time')}
        RANGE BETWEEN ${TASK_GAP_MILLIS} PRECEDING AND CURRENT ROW) AS head
    FROM calls
    ARRAY JOIN minhash AS band, arrayEnumerate(minhash) AS band_no
    WHERE (band_no, band, response_hash) IN (
      SELECT band_no, band, response_hash FROM calls
      ARRAY JOIN minhash AS band, arrayEnumerate(minhash) AS band_no
      GROUP BY band_no, band, response_hash HAVING count() > 1)
  ),
  linked AS (
    SELECT span_id FROM heads WHERE head != span_id
    GROUP BY span_id, head HAVING count() >= ${NEAR_DUPLICATE_MIN_BANDS}
  ),
  repeats AS (
    SELECT span_id,
      argMin(span_id, (start_time, span_id)) OVER (
        PARTITION BY request_hash ORDER BY ${MILLIS('start_time')}
        RANGE BETWEEN ${TASK_GAP_MILLIS} PRECEDING AND CURRENT ROW) AS first_of_request
    FROM calls
    WHERE request_hash IN (SELECT request_hash FROM calls WHERE span_id IN (SELECT span_id FROM linked))
  )
  SELECT task_name, step, model, '' AS tool, 'same_answer' AS detail,
    BUCKET(start_time) AS day, toString(count()) AS occurrences,
    toString(sum(cost_usd)) AS wasted,
    groupUniqArray(EXAMPLES)(task_id) AS example_tasks, groupArray(EXAMPLES)(task_id) AS example_span_tasks, groupArray(EXAMPLES)(span_id) AS example_spans,
    groupArray(span_id) AS claimed_spans
  FROM calls
  WHERE TARGET(start_time) AND ${UNCLAIMED('span_id')}
    AND span_id IN (SELECT span_id FROM linked)
    AND span_id NOT IN (SELECT span_id FROM repeats WHERE first_of_request != span_id)
  GROUP BY task_name, step, model, day
`

export const detectNearDuplicatePrompts: Detector = (client, query) =>
  runDetectorSql(client, 'near_duplicate_prompt', NEAR_DUPLICATE_PROMPTS_SQL, query)
