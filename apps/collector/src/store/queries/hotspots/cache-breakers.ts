import { cacheableSql, cacheRuleSql } from './cache-rule-sql'
import { runCacheDetector } from './cache-pricing'
import { CONTEXT_BEFORE_SECONDS, MODEL, SCOPE, UNCLAIMED, type Detector } from './detector'

/**
 * Cache breakers: a call whose prefix chain does not extend the previous call of the same task
 * and model, although that previous prompt was long enough to cache. Chained hashes make the
 * shared prefix the count of equal leading boundaries; the first unequal one is the break, named
 * `system` (system prompt changed, e.g. a timestamp in it), `tools` (tool schema changed or
 * reordered) or `history` (an earlier message rewritten). A chain that did extend but came after
 * the TTL is `ttl`. A task idle for longer than `CONTEXT_BEFORE_SECONDS` starts afresh. The loss is the cacheable part of the previous prompt beyond the shared prefix.
 * A call priced whole by another cause (duplicate, near duplicate, loop) is not priced again
 * here: its whole cost is already waste, the lost cache included.
 */
export const CACHE_BREAKERS_SQL = `
  WITH calls AS (
    SELECT span_id, task_id, task_name, step, provider, ${MODEL} AS model, start_time,
      prefix_hashes, prefix_tokens, system_hash, tools_hash
    FROM spans FINAL
    WHERE ${SCOPE} AND kind = 'llm' AND usage_known AND length(prefix_hashes) > 0
      AND length(prefix_hashes) = length(prefix_tokens)
  ),
  paired AS (
    SELECT *,
      lagInFrame(prefix_hashes) OVER w AS previous_hashes,
      lagInFrame(prefix_tokens) OVER w AS previous_tokens,
      lagInFrame(system_hash) OVER w AS previous_system,
      lagInFrame(tools_hash) OVER w AS previous_tools,
      lagInFrame(start_time, 1, toDateTime64(0, 9, 'UTC')) OVER w AS previous_time
    FROM calls
    WINDOW w AS (PARTITION BY task_id, provider, model ORDER BY start_time, span_id
      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
  ),
  measured AS (
    SELECT *,
      least(length(prefix_hashes), length(previous_hashes)) AS overlap,
      arrayCount((a, b) -> a = b, arraySlice(prefix_hashes, 1, overlap),
        arraySlice(previous_hashes, 1, overlap)) AS shared,
      if(shared = 0, 0, prefix_tokens[shared]) AS shared_tokens,
      least(previous_tokens[-1], prefix_tokens[-1]) AS reusable_tokens
    FROM paired
    WHERE length(previous_hashes) > 0
      AND dateDiff('second', previous_time, start_time) <= ${CONTEXT_BEFORE_SECONDS}
  ),
  breaks AS (
    SELECT *,
      multiIf(
        shared < length(previous_hashes) AND system_hash != previous_system, 'system',
        shared < length(previous_hashes) AND tools_hash != previous_tools, 'tools',
        shared < length(previous_hashes), 'history',
        dateDiff('second', previous_time, start_time)
          > ${cacheRuleSql('ttlSeconds', 'provider', 'model', 0)}, 'ttl',
        '') AS detail,
      if(detail = 'ttl', toInt64(${cacheableSql('reusable_tokens', 'provider', 'model')}),
        greatest(toInt64(${cacheableSql('reusable_tokens', 'provider', 'model')})
          - toInt64(${cacheableSql('shared_tokens', 'provider', 'model')}), 0)) AS lost_tokens
    FROM measured
  )
  SELECT task_name, step, provider, model, detail,
    BUCKET(start_time) AS day, toString(count()) AS occurrences,
    toString(sum(lost_tokens)) AS missed_total, '0' AS write_total,
    groupUniqArray(EXAMPLES)(task_id) AS example_tasks, groupArray(EXAMPLES)(task_id) AS example_span_tasks, groupArray(EXAMPLES)(span_id) AS example_spans
  FROM breaks
  WHERE detail != '' AND lost_tokens > 0 AND TARGET(start_time) AND ${UNCLAIMED('span_id')}
  GROUP BY task_name, step, provider, model, detail, day
`

export const detectCacheBreakers: Detector = (client, query) =>
  runCacheDetector(client, 'missed_prompt_cache', CACHE_BREAKERS_SQL, query)
