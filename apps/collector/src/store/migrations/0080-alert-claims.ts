import type { Migration } from './migration'

/**
 * Claims that make alerting safe with several collectors on one store: the alert lease (one
 * evaluator of windowed rules at a time, by term) and one claim per notification (a breach is
 * told once, whichever collectors saw it).
 *
 * A claim is an insert whose `insert_deduplication_token` is the claim's key, so ClickHouse keeps
 * only the first insert of a key: on one server through `non_replicated_deduplication_window`, on
 * a cluster through the Replicated engine's deduplication log in Keeper. Every contender then
 * reads the key back and the stored holder is the winner; no row is ever updated. The table has
 * no partition key, because deduplication is per partition. Old claims expire after 30 days;
 * the alert state rows keep what they decided.
 */
export const alertClaims: Migration = {
  version: 80,
  name: 'alert claims',
  statements: [
    `CREATE TABLE IF NOT EXISTS alert_claims (
      key String,
      holder String,
      term UInt64,
      expires_at DateTime64(3, 'UTC'),
      claimed_at DateTime64(3, 'UTC')
    )
    ENGINE = MergeTree
    ORDER BY key
    TTL toDateTime(claimed_at) + INTERVAL 30 DAY
    SETTINGS non_replicated_deduplication_window = 10000`,
  ],
}
