import {
  LATENCY_BUCKETS_SECONDS,
  type CounterSpec,
  type HistogramSpec,
  type Metrics,
} from './metrics'

/**
 * Every counter and histogram the collector keeps, with every value each label takes. They are
 * declared at start-up, so a scrape shows each series from the first minute, at 0 until it
 * counts something: `rate()` has a start, and an alert on a series that never appeared is not
 * silently empty. A new label value belongs here, or its series appears only once counted.
 */

/** The `reason` label of an ingest request refused whole, by its status. */
export const INGEST_REJECT_REASONS: Readonly<Record<number, string>> = {
  400: 'malformed',
  401: 'unauthorized',
  403: 'forbidden',
  413: 'too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'storage_unavailable',
}

export const INGEST_REQUESTS: CounterSpec = {
  name: 'agentmeter_ingest_requests_total',
  help: 'OTLP export requests by status',
  labels: { status: ['200', ...Object.keys(INGEST_REJECT_REASONS)] },
}

export const INGEST_REJECTS: CounterSpec = {
  name: 'agentmeter_ingest_rejects_total',
  help: 'OTLP export requests refused whole, by reason',
  labels: { reason: Object.values(INGEST_REJECT_REASONS) },
}

export const INGEST_SHED: CounterSpec = {
  name: 'agentmeter_ingest_shed_total',
  help: 'Requests refused while overloaded',
}

export const SPANS_ACCEPTED: CounterSpec = {
  name: 'agentmeter_spans_accepted_total',
  help: 'Spans stored',
}

export const SPANS_REJECTED: CounterSpec = {
  name: 'agentmeter_spans_rejected_total',
  help: 'Spans rejected alone (OTLP partial success), by reason',
  labels: { reason: ['invalid_span', 'span_limits', 'normalize_failed'] },
}

export const INGEST_ACKS: CounterSpec = {
  name: 'agentmeter_ingest_acks_total',
  help: 'Batches acknowledged, by the path that made them durable (stored: insert; logged: write-ahead entry; spooled: spool)',
  labels: { path: ['stored', 'logged', 'spooled'] },
}

export const INSERTS: CounterSpec = {
  name: 'agentmeter_inserts_total',
  help: 'Span insert batches by result',
  labels: { result: ['ok', 'failed'] },
}

export const INSERT_ROWS: CounterSpec = {
  name: 'agentmeter_insert_rows_total',
  help: 'Span rows sent to ClickHouse by result',
  labels: { result: ['ok', 'failed'] },
}

export const INSERT_SECONDS: HistogramSpec = {
  name: 'agentmeter_insert_duration_seconds',
  help: 'Span insert latency (one batch, until ClickHouse acknowledged it or failed)',
  buckets: LATENCY_BUCKETS_SECONDS,
}

export const WRITE_AHEAD_SECONDS: HistogramSpec = {
  name: 'agentmeter_write_ahead_seconds',
  help: 'Write-ahead entry latency: from the request handing it over until it is fsynced (or failed)',
  buckets: LATENCY_BUCKETS_SECONDS,
}

export const SPOOL_APPENDED_BATCHES: CounterSpec = {
  name: 'agentmeter_spool_appended_batches_total',
  help: 'Batches written to the local spool',
}

export const SPOOL_REPLAYED_BATCHES: CounterSpec = {
  name: 'agentmeter_spool_replayed_batches_total',
  help: 'Spooled batches inserted into ClickHouse',
}

export const SPOOL_REPLAY_FAILURES: CounterSpec = {
  name: 'agentmeter_spool_replay_failures_total',
  help: 'Failed replay inserts (retried)',
}

export const SPOOL_REPLAYED_SPANS: CounterSpec = {
  name: 'agentmeter_spool_replayed_spans_total',
  help: 'Spooled spans inserted into ClickHouse',
}

export const SPOOL_QUARANTINED_BATCHES: CounterSpec = {
  name: 'agentmeter_spool_quarantined_batches_total',
  help: 'Spooled batches moved to the quarantine (refused by ClickHouse for their content)',
}

/** The spool's counters (a bare `Metrics` in the spool's own tests declares them too). */
export const SPOOL_COUNTERS: readonly CounterSpec[] = [
  SPOOL_APPENDED_BATCHES,
  SPOOL_REPLAYED_BATCHES,
  SPOOL_REPLAY_FAILURES,
  SPOOL_REPLAYED_SPANS,
  SPOOL_QUARANTINED_BATCHES,
  INGEST_ACKS,
]

export const ALERT_EVENTS: CounterSpec = {
  name: 'agentmeter_alert_events_total',
  help: 'Alert events by kind and status',
  // An event is recorded pending (to be delivered) or suppressed (backlog, rate limit).
  labels: {
    kind: ['firing', 'renotify', 'warning', 'resolved', 'test'],
    status: ['pending', 'suppressed'],
  },
}

export const ALERT_DELIVERIES: CounterSpec = {
  name: 'agentmeter_alert_deliveries_total',
  help: 'Alert delivery attempts by result',
  labels: { result: ['delivered', 'retry', 'failed'] },
}

export const ALERT_CLAIMS: CounterSpec = {
  name: 'agentmeter_alert_claims_total',
  help: 'Notification claims by result',
  labels: { result: ['won', 'lost'] },
}

export const ALERT_TASK_CHECKS: CounterSpec = {
  name: 'agentmeter_alert_task_checks_total',
  help: 'Tasks checked against task_cost rules',
}

export const ALERT_EVALUATIONS: CounterSpec = {
  name: 'agentmeter_alert_evaluations_total',
  help: 'Evaluation rounds of windowed rules',
}

const COUNTERS: readonly CounterSpec[] = [
  INGEST_REQUESTS,
  INGEST_REJECTS,
  INGEST_SHED,
  SPANS_ACCEPTED,
  SPANS_REJECTED,
  INSERTS,
  INSERT_ROWS,
  ...SPOOL_COUNTERS,
  ALERT_EVENTS,
  ALERT_DELIVERIES,
  ALERT_CLAIMS,
  ALERT_TASK_CHECKS,
  ALERT_EVALUATIONS,
]

const HISTOGRAMS: readonly HistogramSpec[] = [INSERT_SECONDS, WRITE_AHEAD_SECONDS]

/** Declares every known series at 0 (see above); what was already counted is kept. */
export function declareKnownSeries(metrics: Metrics): void {
  for (const spec of COUNTERS) metrics.declareCounter(spec)
  for (const spec of HISTOGRAMS) metrics.declareHistogram(spec)
}
