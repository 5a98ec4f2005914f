import type { Migration } from './migration'

/**
 * Each project's price book: custom model prices, per-call tool prices, and the deployment map
 * (Azure deployment or Bedrock application profile to base model). Every entry has an effective
 * date and is never edited in place: a change is a new entry, a removal an insert with
 * `deleted = true` (ReplacingMergeTree keeps the latest version of an id), so the history of
 * what was in effect when stays readable.
 */
export const priceBook: Migration = {
  version: 20,
  name: 'price book',
  statements: [
    `CREATE TABLE IF NOT EXISTS price_book (
      project_id LowCardinality(String),
      id String,
      kind Enum8('model' = 1, 'tool' = 2, 'deployment' = 3),
      provider LowCardinality(String),
      name String,
      base_model String,
      effective_from DateTime64(3, 'UTC'),
      input_mtok Nullable(Decimal(38, 12)),
      output_mtok Nullable(Decimal(38, 12)),
      cache_read_mtok Nullable(Decimal(38, 12)),
      cache_write_mtok Nullable(Decimal(38, 12)),
      cache_write_1h_mtok Nullable(Decimal(38, 12)),
      per_call_usd Nullable(Decimal(38, 12)),
      note String,
      deleted Bool DEFAULT false,
      created_at DateTime64(3, 'UTC') DEFAULT now64(3),
      updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
    )
    ENGINE = ReplacingMergeTree(updated_at)
    ORDER BY (project_id, id)`,
  ],
}
