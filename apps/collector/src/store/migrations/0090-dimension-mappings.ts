import type { Migration } from './migration'

/**
 * Showback dimensions a project maps once: which span or resource attribute names its team,
 * customer or feature. One row per (project, dimension); a change is an insert with a higher
 * `version` (ReplacingMergeTree), read with FINAL; an unmapped dimension is a row with an empty
 * key.
 */
export const dimensionMappings: Migration = {
  version: 90,
  name: 'dimension-mappings',
  statements: [
    `CREATE TABLE IF NOT EXISTS dimension_mappings (
      project_id LowCardinality(String),
      dimension LowCardinality(String),
      source LowCardinality(String),
      attribute_key String,
      updated_at DateTime64(3, 'UTC'),
      version UInt64
    )
    ENGINE = ReplacingMergeTree(version)
    ORDER BY (project_id, dimension)`,
  ],
}
