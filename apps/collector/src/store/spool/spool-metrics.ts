import type { Metrics } from '../../metrics'
import type { Spool } from './spool'

/** The durable writer's counters, as `[name, help]` for `Metrics.inc`. */
export const COUNTERS = [
  ['agentmeter_spool_appended_batches_total', 'Batches written to the local spool'],
  ['agentmeter_spool_replayed_batches_total', 'Spooled batches inserted into ClickHouse'],
  ['agentmeter_spool_replay_failures_total', 'Failed replay inserts (retried)'],
  ['agentmeter_spool_replayed_spans_total', 'Spooled spans inserted into ClickHouse'],
  [
    'agentmeter_spool_quarantined_batches_total',
    'Spooled batches moved to the quarantine (refused by ClickHouse for their content)',
  ],
] as const

/** Acknowledged batches by `path` (see `AckPath`). */
export const ACKS = [
  'agentmeter_ingest_acks_total',
  'Batches acknowledged, by the path that made them durable (stored: insert; logged: write-ahead entry; spooled: spool)',
] as const

/** Time to write and fsync one write-ahead entry (on the file sync worker, queue included). */
export const AHEAD_SECONDS = [
  'agentmeter_write_ahead_seconds',
  'Write-ahead entry latency: from the request handing it over until it is fsynced (or failed)',
] as const

/** The spool's gauges, and every counter at zero so that a scrape shows them from the start. */
export function registerSpoolMetrics(metrics: Metrics, spool: Spool): void {
  metrics.gauge('agentmeter_spool_batches', 'Batches in the local spool', () => spool.batches)
  metrics.gauge('agentmeter_spool_bytes', 'Bytes in the local spool', () => spool.bytes)
  metrics.gauge(
    'agentmeter_spool_write_ahead_bytes',
    'Bytes of write-ahead entries whose insert is still running',
    () => spool.aheadBytes,
  )
  metrics.gauge(
    'agentmeter_spool_quarantined_batches',
    'Spooled batches ClickHouse refused for their content, set aside until re-driven',
    () => spool.quarantine.batches,
  )
  metrics.gauge(
    'agentmeter_spool_quarantined_bytes',
    'Bytes of the quarantined batches',
    () => spool.quarantine.bytes,
  )
  for (const [name, help] of COUNTERS) metrics.inc(name, help, {}, 0)
  for (const path of ['stored', 'logged', 'spooled']) metrics.inc(ACKS[0], ACKS[1], { path }, 0)
}
