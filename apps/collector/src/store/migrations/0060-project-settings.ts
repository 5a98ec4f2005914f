import type { Migration } from './migration'

/**
 * Per-project settings: whether captured prompt and completion content is stored (off unless a
 * project admin turns it on) and the project's own redaction rules, as JSON (`[{ name, pattern
 * }]`), applied to captured content before it is stored. The latest row of a project wins.
 */
export const projectSettings: Migration = {
  version: 60,
  name: 'project-settings',
  statements: [
    `CREATE TABLE IF NOT EXISTS project_settings (
      project_id String,
      capture_content Bool,
      redaction_rules String,
      updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
    )
    ENGINE = ReplacingMergeTree(updated_at)
    ORDER BY project_id`,
  ],
}
