import { SPOOL_COUNTERS, WRITE_AHEAD_SECONDS } from '../../metric-catalog'
import type { Metrics } from '../../metrics'
import type { Spool } from './spool'

/** The spool's gauges, and its counters at zero so that a scrape shows them from the start. */
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
  for (const spec of SPOOL_COUNTERS) metrics.declareCounter(spec)
  metrics.declareHistogram(WRITE_AHEAD_SECONDS)
}
