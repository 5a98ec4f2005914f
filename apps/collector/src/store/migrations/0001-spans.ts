import type { Migration } from './migration'

/**
 * One wide row per span. Tenant first and time next in the sort key, so every query is bounded
 * by project and time range. ReplacingMergeTree on (project, hour, trace, span) collapses a span
 * delivered twice; reads use FINAL until then, so duplicates count once everywhere.
 */
export const spansTable: Migration = {
  version: 1,
  name: 'spans',
  statements: [
    `CREATE TABLE IF NOT EXISTS spans (
      project_id LowCardinality(String),
      trace_id String,
      span_id String,
      parent_span_id String,
      task_id String,
      task_name LowCardinality(String),
      is_task_root Bool,
      step LowCardinality(String),
      kind Enum8('task' = 1, 'agent' = 2, 'llm' = 3, 'tool' = 4, 'embedding' = 5, 'other' = 6),
      name String,
      convention LowCardinality(String),
      service_name LowCardinality(String),
      environment LowCardinality(String),
      provider LowCardinality(String),
      request_model LowCardinality(String),
      response_model LowCardinality(String),
      operation LowCardinality(String),
      tool_name LowCardinality(String),
      tool_call_id String,
      conversation_id String,
      start_time DateTime64(9, 'UTC'),
      end_time DateTime64(9, 'UTC'),
      status Enum8('unset' = 0, 'ok' = 1, 'error' = 2),
      status_message String,
      finish_reasons Array(LowCardinality(String)),
      usage_known Bool,
      input_tokens UInt64,
      output_tokens UInt64,
      cache_read_tokens UInt64,
      cache_write_tokens UInt64,
      cache_write_1h_tokens UInt64,
      reasoning_tokens UInt64,
      usage_extra Map(LowCardinality(String), UInt64),
      usage_notes Array(String),
      priced Bool,
      cost_usd Nullable(Decimal(38, 12)),
      input_cost_usd Nullable(Decimal(38, 12)),
      output_cost_usd Nullable(Decimal(38, 12)),
      price_source LowCardinality(String),
      price_catalog LowCardinality(String),
      price_provider LowCardinality(String),
      price_model LowCardinality(String),
      price_tier LowCardinality(String),
      price_reason String,
      sdk_cost_usd Nullable(Decimal(38, 12)),
      reported_cost_usd Nullable(Decimal(38, 12)),
      tool_cost_usd Nullable(Decimal(38, 12)),
      outcome LowCardinality(String),
      score Nullable(Float64),
      request_hash UInt64,
      response_hash UInt64,
      system_hash UInt64,
      tools_hash UInt64,
      prefix_hashes Array(UInt64),
      prefix_tokens Array(UInt64),
      minhash Array(UInt64),
      tool_args_hash UInt64,
      tool_result_hash UInt64,
      attributes Map(String, String),
      resource_attributes Map(String, String),
      ingested_at DateTime64(3, 'UTC') DEFAULT now64(3)
    )
    ENGINE = ReplacingMergeTree(ingested_at)
    PARTITION BY toYYYYMM(start_time)
    ORDER BY (project_id, toStartOfHour(start_time), trace_id, span_id)
    SETTINGS non_replicated_deduplication_window = 1000`,
  ],
}
