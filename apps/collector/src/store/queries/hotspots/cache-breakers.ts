import { cacheableSql } from './cache-rule-sql'
import { runCacheDetector } from './cache-pricing'
import { CONTEXT_BEFORE_SECONDS, MODEL, SCOPE, UNCLAIMED, type Detector } from './detector'
import { lastSentSql, NEVER, warmSql } from './warm-prefix'

/**
 * Cache breakers: a call that continues an earlier call of its task and model, but could not be
 * served the prompt that call left in the provider's cache. Only hashes are known, so a call is
 * paired with the earlier call it continues, never merely with the one before it in time:
 *
 * 1. Exact continuation: the longest (then latest) earlier call of the same task, provider and
 *    model, within `CONTEXT_BEFORE_SECONDS`, whose whole prefix chain the call's chain extends
 *    (its last link is the call's link at its length). The prefix is intact, so the only
 *    possible loss is the TTL (`ttl`): the continued prompt was not warm any more.
 * 2. Broken continuation, for a call without one: the call carries more messages than an earlier
 *    call A of the task and model that was still the tip of its conversation (no call had
 *    extended A's chain before this call started), and at most one of the system prompt and the
 *    tool schema differs from A's. It is A's conversation with one early boundary changed:
 *    `system` (a timestamp in the system prompt), `tools` (a reordered or edited tool list) or,
 *    with both equal, `history` (an earlier message rewritten). The longest such A is the one
 *    continued, the latest among equals.
 *
 * Anything else starts a conversation of its own and is no breaker: a sibling of a fan-out that
 * shares only the system prompt (no longer than its siblings, and its siblings are not its
 * prefix), the first call of another step (another system prompt and tool list, or a prompt no
 * longer than the previous step's), a conversation interleaved with another (its own earlier
 * call is its exact parent). What the siblings share, the missed-cache detector prices.
 *
 * The loss is the cacheable part of the continued prompt beyond the call's warm prefix and
 * beyond what the provider served it (`cache_read_tokens`): the warm part is the missed-cache
 * detector's (`warmSql`), so no token is priced twice. A call priced whole by another cause
 * (duplicate, near duplicate, loop) is not priced again here: its whole cost is already waste,
 * the lost cache included.
 */
/** An earlier call that ended at the row's link, within the reach of a verdict. */
const PARENT_IN_REACH = `ended_here.1 > ${NEVER}
  AND dateDiff('second', ended_here.1, start_time) <= ${CONTEXT_BEFORE_SECONDS}`

export const CACHE_BREAKERS_SQL = `
  WITH calls AS (
    SELECT span_id, task_id, task_name, step, provider, ${MODEL} AS model, start_time,
      prefix_hashes, prefix_tokens, system_hash, tools_hash, cache_read_tokens,
      length(prefix_hashes) AS size
    FROM spans FINAL
    WHERE ${SCOPE} AND kind = 'llm' AND usage_known AND length(prefix_hashes) > 0
      AND length(prefix_hashes) = length(prefix_tokens)
  ),
  links AS (
    SELECT span_id, task_id, task_name, step, provider, model, start_time, system_hash,
      tools_hash, cache_read_tokens, size, link, position, tokens,
      ${lastSentSql('link')} AS last_sent,
      -- The latest earlier call of the task and model whose whole prompt ends at this link
      -- (every row of a partition is at the same position: the chain is positional).
      max(if(position = size, (start_time, tokens), (${NEVER}, toUInt64(0))))
        OVER in_task AS ended_here,
      -- The next call of the task and model holding this prefix: on a call's last link, the
      -- first call that extended (or repeated) it.
      leadInFrame(start_time, 1, ${NEVER}) OVER next_in_task AS next_holder
    FROM calls
    ARRAY JOIN prefix_hashes AS link, prefix_tokens AS tokens,
      arrayEnumerate(prefix_hashes) AS position
    WINDOW
      in_task AS (PARTITION BY task_id, provider, model, link ORDER BY start_time, span_id
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING),
      next_in_task AS (PARTITION BY task_id, provider, model, link ORDER BY start_time, span_id
        ROWS BETWEEN CURRENT ROW AND 1 FOLLOWING)
  ),
  facts AS (
    SELECT span_id, task_id, task_name, step, provider, model, start_time, system_hash,
      tools_hash, cache_read_tokens, size,
      maxIf(tokens, position = size) AS total,
      maxIf(position, ${warmSql('last_sent')}) AS warm_position,
      maxIf(tokens, ${warmSql('last_sent')}) AS warm_tokens,
      maxIf(position, ${PARENT_IN_REACH}) AS parent_size,
      argMaxIf(ended_here.2, position, ${PARENT_IN_REACH}) AS parent_total,
      anyIf(next_holder, position = size) AS extended_at
    FROM links
    GROUP BY span_id, task_id, task_name, step, provider, model, start_time, system_hash,
      tools_hash, cache_read_tokens, size
  ),
  conversations AS (
    SELECT task_id, provider, model,
      groupArray(span_id) AS span_ids, groupArray(task_name) AS task_names,
      groupArray(step) AS steps, groupArray(start_time) AS starts, groupArray(size) AS sizes,
      groupArray(total) AS totals, groupArray(system_hash) AS systems,
      groupArray(tools_hash) AS tool_lists, groupArray(cache_read_tokens) AS served_list,
      groupArray(warm_position) AS warm_positions, groupArray(warm_tokens) AS warm_list,
      groupArray(parent_size) AS parent_sizes, groupArray(parent_total) AS parent_totals,
      groupArray(extended_at) AS extensions, groupArray(TARGET(start_time)) AS priced_list
    FROM facts
    GROUP BY task_id, provider, model
  ),
  paired AS (
    SELECT task_id, provider, model, span_ids, task_names, steps, starts, served_list,
      warm_positions, warm_list, parent_sizes, parent_totals, priced_list,
      -- For a priced call without an exact parent: the earlier tip it continues, or 0.
      arrayMap(i -> if(parent_sizes[i] > 0 OR NOT priced_list[i], 0,
        arrayReverseSort(j -> (sizes[j], starts[j], span_ids[j]),
          arrayFilter(j -> (starts[j], span_ids[j]) < (starts[i], span_ids[i])
              AND dateDiff('second', starts[j], starts[i]) <= ${CONTEXT_BEFORE_SECONDS}
              AND sizes[j] < sizes[i]
              AND NOT (systems[j] != systems[i] AND tool_lists[j] != tool_lists[i])
              AND (extensions[j] = ${NEVER} OR extensions[j] >= starts[i]),
            arrayEnumerate(span_ids)))[1]),
        arrayEnumerate(span_ids)) AS partners,
      arrayMap((i, j) -> multiIf(j = 0, '', systems[j] != systems[i], 'system',
          tool_lists[j] != tool_lists[i], 'tools', 'history'),
        arrayEnumerate(span_ids), partners) AS broken_details,
      arrayMap(j -> if(j = 0, toUInt64(0), totals[j]), partners) AS partner_totals
    FROM conversations
  ),
  judged AS (
    SELECT task_id, provider, model, span_id, task_name, step, start_time, served,
      warm_tokens,
      if(parent_size > 0, if(warm_position < parent_size, 'ttl', ''), broken_detail) AS detail,
      if(parent_size > 0, parent_total, partner_total) AS continued_tokens
    FROM paired
    ARRAY JOIN span_ids AS span_id, task_names AS task_name, steps AS step,
      starts AS start_time, served_list AS served, warm_list AS warm_tokens,
      warm_positions AS warm_position, parent_sizes AS parent_size,
      parent_totals AS parent_total, broken_details AS broken_detail,
      partner_totals AS partner_total, priced_list AS priced
    WHERE priced
  ),
  breaks AS (
    SELECT *,
      greatest(toInt64(${cacheableSql('continued_tokens', 'provider', 'model')})
        - greatest(toInt64(${cacheableSql('warm_tokens', 'provider', 'model')}), toInt64(served)),
        0) AS lost_tokens
    FROM judged
    WHERE detail != ''
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
