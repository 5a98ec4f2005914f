import { cacheableOfSql, cacheRuleSql, servedLessThanSql } from './cache-rule-sql'
import { runCacheDetector } from './cache-pricing'
import { CONTEXT_BEFORE_SECONDS, MODEL, SCOPE, UNCLAIMED, type Detector } from './detector'
import { lastSentSql, NEVER, warmSql } from './warm-prefix'

/**
 * Cache breakers: a call that continues an earlier call of its task and model, but could not be
 * served the prompt that call left in the provider's cache. Only hashes are known, so a call is
 * paired with the earlier call it continues, never merely with the one before it in time:
 *
 * 1. Exact continuation: the call's prefix chain extends the whole chain of an earlier call of
 *    the same task, provider and model within `CONTEXT_BEFORE_SECONDS` (that call's last link
 *    is the call's link at its length); the longest such call, the latest to end at that link,
 *    is its parent. The prefix is intact, so the only possible loss is the TTL (`ttl`): the
 *    parent's prompt was no longer warm.
 * 2. Broken continuation, for a call without a parent: among the `CANDIDATE_CALLS` calls of its
 *    task and model before it (within the same reach), an earlier call A that was still the tip
 *    of its conversation (no call had extended or repeated A's chain before this one started),
 *    with fewer messages, and with at most one of the system prompt and the tool schema
 *    different. It is A's conversation with one early boundary changed: `system` (a timestamp
 *    in the system prompt), `tools` (a reordered or edited tool list) or, with both equal,
 *    `history` (an earlier message rewritten). The longest such A is the one continued, the
 *    latest among equals.
 *
 * Anything else starts a conversation of its own and is no breaker: a sibling of a fan-out that
 * shares only the system prompt (no longer than its siblings, and its siblings are not its
 * prefix), the first call of another step (another system prompt and tool list, or a prompt no
 * longer than the previous step's), a turn of one of two interleaved conversations (its own
 * previous turn is its parent). The step name plays no part: a conversation may cross steps.
 * What siblings share, the missed-cache detector prices.
 *
 * The loss is the cacheable part of the continued prompt beyond the call's warm prefix and
 * beyond what the provider served it (`cache_read_tokens`): the warm part is the missed-cache
 * detector's (`warmSql`), so no token is priced twice. A call the provider served (nearly) the
 * whole continued prompt lost nothing, whatever the hashes say (a cache kept past the TTL we
 * assume): as in the missed-cache detector, it breaks only when it was served less than the
 * cacheable part of the least the continued prompt can be (`servedLessThanSql`). A call priced
 * whole by another cause (duplicate, near duplicate, loop) is not priced again here: its whole
 * cost is already waste, the lost cache included.
 */
/** How many calls of its task and model before it a call without an exact parent looks at. */
const CANDIDATE_CALLS = 100

/** The fields of an earlier call kept for that look, by position in the tuple. */
const EARLIER = { start: 1, span: 2, size: 3, total: 4, system: 5, tools: 6, extended: 7 }
const EARLIER_FIELDS = 'start_time, span_id, size, total, system_hash, tools_hash, extended_at'
const at = (field: keyof typeof EARLIER) => `a.${EARLIER[field]}`

/**
 * `a` is an earlier call of the row's task and model, within reach, still the tip of its
 * conversation when the row's call started, with fewer messages, and at most one of system
 * prompt and tool schema changed: the row continues it (see the rule above).
 */
const CONTINUES = `dateDiff('second', ${at('start')}, start_time) <= ${CONTEXT_BEFORE_SECONDS}
  AND ${at('size')} < size
  AND NOT (${at('system')} != system_hash AND ${at('tools')} != tools_hash)
  AND (${at('extended')} = ${NEVER} OR ${at('extended')} >= start_time)`

/** The LLM calls with a prefix chain, in the detector's scope. */
const CALLS = `${SCOPE} AND kind = 'llm' AND usage_known AND length(prefix_hashes) > 0
  AND length(prefix_hashes) = length(prefix_tokens)`

/** A link of \`links\` still warm in the provider's cache. */
const WARM = warmSql('last_sent', 'cache_ttl')

/**
 * A call of `links` (a tuple of its start and its task, provider and model hashed together)
 * of the row's task and model: only those are its conversation. Links are compared across the
 * project, ordered by time (one sort serves the warm prefix, the parent and the extension), so
 * the latest call holding a prefix may be another task's with the same prompt (a task sending
 * the same opening as another). Then the row gets no parent at that link, and a call that
 * other task repeated counts as extended: no verdict rather than a wrong one.
 */
const SAME_CONVERSATION = (call: string) => `${call}.2 = conversation`

/** An earlier call of the row's task and model that ended at the row's link, within reach. */
const PARENT_IN_REACH = `ended_here.1 > ${NEVER} AND ${SAME_CONVERSATION('ended_here')}
  AND dateDiff('second', ended_here.1, start_time) <= ${CONTEXT_BEFORE_SECONDS}`

export const CACHE_BREAKERS_SQL = `
  WITH calls AS (
    SELECT span_id, task_id, task_name, step, provider, ${MODEL} AS model, start_time,
      system_hash, tools_hash, cache_read_tokens, length(prefix_hashes) AS size,
      prefix_tokens[-1] AS total,
      -- The cache rule, looked up once per call (see cacheableOfSql).
      ${cacheRuleSql('minTokens', 'provider', 'model', 0)} AS cache_min,
      ${cacheRuleSql('granularity', 'provider', 'model', 1)} AS cache_step
    FROM spans FINAL
    WHERE ${CALLS}
  ),
  links AS (
    SELECT span_id, start_time, provider, model, cache_ttl, conversation, position, tokens,
      position = length(prefix_hashes) AS last,
      ${lastSentSql('link')} AS last_sent,
      -- The latest earlier call of the project whose whole prompt ends at this link (every
      -- row of a partition is at the same position: the chain is positional), and the next
      -- call holding this prefix: on a call's last link, the first to extend or repeat it.
      -- A parent from another task or model is none; an extension by one still counts (see
      -- SAME_CONVERSATION).
      max(if(last, (start_time, conversation, tokens), (${NEVER}, toUInt64(0), toUInt64(0))))
        OVER (PARTITION BY link ORDER BY start_time, span_id
          ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS ended_here,
      leadInFrame(start_time, 1, ${NEVER}) OVER (PARTITION BY link
        ORDER BY start_time, span_id ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING) AS next_holder
    FROM (
      SELECT span_id, provider, ${MODEL} AS model, start_time, prefix_hashes, prefix_tokens,
        ${cacheRuleSql('ttlSeconds', 'provider', 'model', 0)} AS cache_ttl,
        cityHash64(task_id, provider, model) AS conversation
      FROM spans FINAL
      WHERE ${CALLS}
    )
    ARRAY JOIN prefix_hashes AS link, prefix_tokens AS tokens,
      arrayEnumerate(prefix_hashes) AS position
  ),
  facts AS (
    SELECT c.*, l.warm_position AS warm_position, l.warm_tokens AS warm_tokens,
      l.parent_size AS parent_size, l.parent_total AS parent_total, l.extended_at AS extended_at
    FROM calls AS c
    INNER JOIN (
      SELECT span_id,
        maxIf(position, ${WARM}) AS warm_position,
        maxIf(tokens, ${WARM}) AS warm_tokens,
        maxIf(position, ${PARENT_IN_REACH}) AS parent_size,
        argMaxIf(ended_here.3, position, ${PARENT_IN_REACH}) AS parent_total,
        anyIf(next_holder, last) AS extended_at
      FROM links
      GROUP BY span_id
    ) AS l ON l.span_id = c.span_id
  ),
  earlier AS (
    SELECT *,
      groupArray((${EARLIER_FIELDS})) OVER (PARTITION BY task_id, provider, model
        ORDER BY start_time, span_id
        ROWS BETWEEN ${CANDIDATE_CALLS} PRECEDING AND 1 PRECEDING) AS earlier_calls
    FROM facts
  ),
  judged AS (
    SELECT span_id, task_id, task_name, step, provider, model, start_time, cache_min,
      cache_step, cache_read_tokens AS served, warm_tokens,
      -- Without an exact parent: the tips it may continue, the longest, then the latest, first.
      arrayReverseSort(a -> (${at('size')}, ${at('start')}, ${at('span')}),
        arrayFilter(a -> parent_size = 0 AND ${CONTINUES}, earlier_calls)) AS continued,
      multiIf(parent_size > 0, if(warm_position < parent_size, 'ttl', ''),
        empty(continued), '',
        continued[1].${EARLIER.system} != system_hash, 'system',
        continued[1].${EARLIER.tools} != tools_hash, 'tools',
        'history') AS detail,
      if(parent_size > 0, parent_total, continued[1].${EARLIER.total}) AS continued_tokens
    FROM earlier
    WHERE TARGET(start_time)
  ),
  breaks AS (
    SELECT *,
      greatest(toInt64(${cacheableOfSql('continued_tokens', 'cache_min', 'cache_step')})
        - greatest(toInt64(${cacheableOfSql('warm_tokens', 'cache_min', 'cache_step')}),
          toInt64(served)), 0) AS lost_tokens
    FROM judged
    WHERE detail != ''
      AND ${servedLessThanSql('served', 'continued_tokens', 'cache_min', 'cache_step')}
  )
  SELECT task_name, step, provider, model, detail,
    BUCKET(start_time) AS day, toString(count()) AS occurrences,
    toString(sum(lost_tokens)) AS missed_total, '0' AS write_total,
    groupUniqArray(EXAMPLES)(task_id) AS example_tasks, groupArray(EXAMPLES)(task_id) AS example_span_tasks, groupArray(EXAMPLES)(span_id) AS example_spans
  FROM breaks
  WHERE lost_tokens > 0 AND ${UNCLAIMED('span_id')}
  GROUP BY task_name, step, provider, model, detail, day
`

export const detectCacheBreakers: Detector = (client, query) =>
  runCacheDetector(client, 'missed_prompt_cache', CACHE_BREAKERS_SQL, query)
