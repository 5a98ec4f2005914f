import type { Migration } from './migration'

/**
 * Alerting: rules, the state of each rule per subject, the events it raised, and every delivery
 * attempt. Rules, states and events are mutable rows kept with ReplacingMergeTree on a `version`
 * column (microseconds, increasing per process), so an update is an insert and reads use FINAL.
 * Deliveries are an append-only log.
 *
 * The subject of a state is what one breach is about: the task id for `task_cost`, the budget
 * period (e.g. `2026-12-04`) for `spend_budget`, empty for the other windowed rules. One breach
 * notifies once because its state row says it already did, across restarts.
 */
export const alertsTables: Migration = {
  version: 40,
  name: 'alerts',
  statements: [
    `CREATE TABLE IF NOT EXISTS alert_rules (
      project_id LowCardinality(String),
      id String,
      name String,
      type LowCardinality(String),
      task_name String,
      threshold_usd Decimal(38, 12),
      window_minutes UInt32,
      baseline_factor Nullable(Float64),
      budget_period LowCardinality(String),
      forecast Bool,
      environment String,
      service String,
      tags Map(String, String),
      channel_type LowCardinality(String),
      channel_url String,
      secret String,
      renotify_minutes UInt32,
      notify_on_resolve Bool,
      enabled Bool,
      deleted Bool DEFAULT false,
      created_at DateTime64(3, 'UTC'),
      updated_at DateTime64(3, 'UTC'),
      version UInt64
    )
    ENGINE = ReplacingMergeTree(version)
    ORDER BY (project_id, id)`,
    `CREATE TABLE IF NOT EXISTS alert_state (
      project_id LowCardinality(String),
      rule_id String,
      subject String,
      state LowCardinality(String),
      value_usd Nullable(Decimal(38, 12)),
      since DateTime64(3, 'UTC'),
      last_notified_at Nullable(DateTime64(3, 'UTC')),
      notifications UInt32,
      version UInt64
    )
    ENGINE = ReplacingMergeTree(version)
    ORDER BY (project_id, rule_id, subject)`,
    `CREATE TABLE IF NOT EXISTS alert_events (
      project_id LowCardinality(String),
      id String,
      rule_id String,
      rule_name String,
      kind LowCardinality(String),
      subject String,
      task_id String,
      task_name String,
      value_usd Nullable(Decimal(38, 12)),
      threshold_usd Nullable(Decimal(38, 12)),
      message String,
      payload String,
      delivery_status LowCardinality(String),
      attempts UInt32,
      last_error String,
      created_at DateTime64(3, 'UTC'),
      delivered_at Nullable(DateTime64(3, 'UTC')),
      version UInt64
    )
    ENGINE = ReplacingMergeTree(version)
    PARTITION BY toYYYYMM(created_at)
    ORDER BY (project_id, id)`,
    `CREATE TABLE IF NOT EXISTS alert_deliveries (
      project_id LowCardinality(String),
      event_id String,
      rule_id String,
      attempt UInt32,
      ok Bool,
      status_code UInt16,
      error String,
      duration_ms UInt32,
      at DateTime64(3, 'UTC')
    )
    ENGINE = MergeTree
    PARTITION BY toYYYYMM(at)
    ORDER BY (project_id, event_id, attempt)`,
  ],
}
