import type { Migration } from './migration'

/**
 * Projects and their API keys. Keys are stored only as SHA-256 hashes with a short prefix for
 * display; the key itself is shown once, when it is created. ReplacingMergeTree keeps the
 * latest version of a row, so a revocation is an insert with `revoked = true`.
 */
export const projectsAndKeys: Migration = {
  version: 2,
  name: 'projects and keys',
  statements: [
    `CREATE TABLE IF NOT EXISTS projects (
      id String,
      name String,
      created_at DateTime64(3, 'UTC') DEFAULT now64(3),
      updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
    )
    ENGINE = ReplacingMergeTree(updated_at)
    ORDER BY id`,
    `CREATE TABLE IF NOT EXISTS api_keys (
      key_hash String,
      prefix String,
      project_id String,
      scopes Array(LowCardinality(String)),
      revoked Bool DEFAULT false,
      created_at DateTime64(3, 'UTC') DEFAULT now64(3),
      updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
    )
    ENGINE = ReplacingMergeTree(updated_at)
    ORDER BY key_hash`,
  ],
}
