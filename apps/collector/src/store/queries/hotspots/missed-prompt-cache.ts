import { cacheableOfSql, cacheRuleSql, servedLessThanSql } from './cache-rule-sql'
import { runCacheDetector } from './cache-pricing'
import { MODEL, SCOPE, UNCLAIMED, type Detector } from './detector'
import { lastSentSql, NEVER, warmSql } from './warm-prefix'

/**
 * Missed prompt-cache opportunities. For each call, the longest prefix boundary whose chained
 * hash was last seen (same project; the chain is seeded with the model) within the provider's
 * TTL is a prefix the provider could have served from cache; cut to the provider's minimum and
 * granularity, minus what it did serve (`cache_read_tokens`), it is missed. The call that
 * would have written each such prefix (no miss of it in the hour before) carries the write
 * premium, netted off in pricing. A call priced whole by another cause (a duplicate: its whole
 * cost is waste) is left out.
 *
 * The prefix's tokens are the SDK's estimate, the served ones the provider's count, so a call
 * the provider served its whole warm prefix can look a few tokens short (or one 128-token
 * OpenAI step short, when the estimate crosses a step the real prefix does not). A call is
 * missed only when the provider served less than the cacheable part of the least its prefix
 * can be, the estimate less its error bound (an eighth, `ESTIMATE_ERROR_PARTS`: see
 * `servedLessThanSql`); it is then priced on the estimate itself, so a real miss costs what it
 * did before the bound. A call served (nearly) all of its eligible prefix is no missed cache.
 */
/** A prefix missed again within this long counts as written once (the longest TTL). */
const WRITE_SPAN_SECONDS = 3600

export const MISSED_PROMPT_CACHE_SQL = `
  WITH calls AS (
    SELECT span_id, task_id, task_name, step, provider, ${MODEL} AS model, start_time,
      prefix_hashes, prefix_tokens, cache_read_tokens,
      -- The cache rule, looked up once per call (see cacheableOfSql).
      ${cacheRuleSql('minTokens', 'provider', 'model', 0)} AS cache_min,
      ${cacheRuleSql('granularity', 'provider', 'model', 1)} AS cache_step
    FROM spans FINAL
    WHERE ${SCOPE} AND kind = 'llm' AND usage_known AND length(prefix_hashes) > 0
      AND length(prefix_hashes) = length(prefix_tokens)
  ),
  boundaries AS (
    SELECT span_id, provider, model, start_time, boundary_hash, boundary_tokens,
      ${lastSentSql('boundary_hash')} AS last_seen
    FROM calls
    ARRAY JOIN prefix_hashes AS boundary_hash, prefix_tokens AS boundary_tokens
  ),
  matched AS (
    SELECT span_id, max(boundary_tokens) AS shared_tokens,
      argMax(boundary_hash, boundary_tokens) AS shared_hash
    FROM boundaries
    WHERE ${warmSql('last_seen')}
    GROUP BY span_id
  ),
  missed AS (
    SELECT c.*, m.shared_hash AS shared_hash,
      if(${servedLessThanSql('c.cache_read_tokens', 'm.shared_tokens', 'c.cache_min', 'c.cache_step')},
        toInt64(${cacheableOfSql('m.shared_tokens', 'c.cache_min', 'c.cache_step')})
          - toInt64(c.cache_read_tokens), 0) AS missed_tokens
    FROM calls AS c
    INNER JOIN matched AS m ON m.span_id = c.span_id
  ),
  firsts AS (
    SELECT *, lagInFrame(start_time, 1, ${NEVER}) OVER (
        PARTITION BY shared_hash ORDER BY start_time, span_id
        ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS previous_miss
    FROM missed
    WHERE missed_tokens > 0
  )
  SELECT task_name, step, provider, model, 'unused_cache' AS detail,
    BUCKET(start_time) AS day, toString(count()) AS occurrences,
    toString(sum(missed_tokens)) AS missed_total,
    toString(sumIf(missed_tokens, previous_miss = ${NEVER}
      OR dateDiff('second', previous_miss, start_time) > ${WRITE_SPAN_SECONDS})) AS write_total,
    groupUniqArray(EXAMPLES)(task_id) AS example_tasks, groupArray(EXAMPLES)(task_id) AS example_span_tasks, groupArray(EXAMPLES)(span_id) AS example_spans
  FROM firsts
  WHERE TARGET(start_time) AND ${UNCLAIMED('span_id')}
  GROUP BY task_name, step, provider, model, day
`

export const detectMissedPromptCache: Detector = (client, query) =>
  runCacheDetector(client, 'missed_prompt_cache', MISSED_PROMPT_CACHE_SQL, query)
