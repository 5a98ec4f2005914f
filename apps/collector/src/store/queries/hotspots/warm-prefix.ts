import { cacheRuleSql } from './cache-rule-sql'

/** The epoch: "never" for the time columns the cache detectors compute. */
export const NEVER = `toDateTime64(0, 9, 'UTC')`

/**
 * When the project last sent the prefix that ends at `link` before the current row's call (any
 * task: the provider caches per organization, and the chain is seeded with the model, so an
 * equal link is the same model seeing the same leading segments), or `NEVER`. A window over the
 * rows of `calls ARRAY JOIN prefix_hashes`, ordered as every detector orders calls.
 */
export function lastSentSql(link: string): string {
  return `lagInFrame(start_time, 1, ${NEVER}) OVER (PARTITION BY ${link}
    ORDER BY start_time, span_id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)`
}

/**
 * True when a prefix last sent at `lastSent` was still in the provider's cache when the current
 * row's call started (within the TTL of its provider and model, or the `ttl` column given). The missed-cache and the
 * cache-breaker detectors both measure a call's warm prefix with it, so the tokens one prices
 * (the warm prefix the provider did not serve) and the other prices (the prompt the call
 * continued, beyond its warm prefix) never overlap.
 */
export function warmSql(
  lastSent: string,
  ttl = cacheRuleSql('ttlSeconds', 'provider', 'model', 0),
): string {
  return `(${lastSent} > ${NEVER} AND dateDiff('second', ${lastSent}, start_time) <= ${ttl})`
}
