import type { ClickHouseClient } from '@clickhouse/client'
import type { Logger } from '../logger'
import { LATENCY_BUCKETS_SECONDS, type Metrics } from '../metrics'
import { clickHouseErrorFields } from './clickhouse-error'
import { dedupToken } from './dedup-token'
import { insertSpanRecords } from './insert-spans'
import type { SpanRecord } from './span-record'

export interface SpanWriterOptions {
  /** Rows per insert at most; default 20000. */
  maxBatchRows?: number
  metrics?: Metrics
  /**
   * Send an `insert_deduplication_token` derived from the batch, so that ClickHouse (a server's
   * deduplication window, or a cluster's replication log across replicas) stores a retried batch
   * once. Only for a server: the embedded engine keeps a query's settings for the rest of its
   * session, so the token would stick to every later insert and drop them.
   */
  deduplicate?: boolean
}

interface Pending {
  records: SpanRecord[]
  resolve: () => void
  reject: (err: unknown) => void
}

/**
 * Batches span inserts across concurrent requests ("group commit"): when no insert is running,
 * a request's rows go out at once; while one runs, the rows of every request that arrives are
 * gathered and sent together when it finishes. Each caller's promise settles only once its rows
 * are acknowledged by ClickHouse, so the ingest route can answer 200 on durable data alone.
 */
export class SpanWriter {
  private queue: Pending[] = []
  private inFlight: Promise<void> | null = null

  private readonly maxBatchRows: number
  private readonly metrics: Metrics | null
  private readonly deduplicate: boolean

  constructor(
    private readonly client: ClickHouseClient,
    private readonly logger: Logger,
    options: SpanWriterOptions = {},
  ) {
    this.maxBatchRows = options.maxBatchRows ?? 20_000
    this.metrics = options.metrics ?? null
    this.deduplicate = options.deduplicate ?? false
  }

  write(records: SpanRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve()
    return new Promise((resolve, reject) => {
      this.queue.push({ records, resolve, reject })
      if (!this.inFlight) this.inFlight = this.drain()
    })
  }

  /** Rows waiting for their insert (not counting the one in flight). */
  queuedRows(): number {
    return this.queue.reduce((total, pending) => total + pending.records.length, 0)
  }

  /** Resolves once everything queued so far is written (or failed). */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.takeBatch()
      const rows = batch.flatMap((pending) => pending.records)
      const startedAt = performance.now()
      try {
        // Retries of the same rows (spool replay, an unknown outcome) are skipped by the table.
        await insertSpanRecords(this.client, rows, {
          settings: this.deduplicate ? { insert_deduplication_token: dedupToken(rows) } : undefined,
        })
        this.measure(startedAt, 'ok', rows.length)
        for (const pending of batch) pending.resolve()
        this.logger.debug({
          module: 'store',
          message: 'spans inserted',
          args: { rows: rows.length, millis: Math.round(performance.now() - startedAt) },
        })
      } catch (err) {
        this.measure(startedAt, 'failed', rows.length)
        this.logger.error({
          module: 'store',
          message: 'span insert failed',
          args: { rows: rows.length, ...clickHouseErrorFields(err) },
        })
        for (const pending of batch) pending.reject(err)
      }
    }
    this.inFlight = null
  }

  private measure(startedAt: number, result: 'ok' | 'failed', rows: number): void {
    if (!this.metrics) return
    this.metrics.observe(
      'agentmeter_insert_duration_seconds',
      'Span insert latency (one batch, until ClickHouse acknowledged it or failed)',
      (performance.now() - startedAt) / 1000,
      LATENCY_BUCKETS_SECONDS,
    )
    this.metrics.inc('agentmeter_inserts_total', 'Span insert batches by result', { result })
    this.metrics.inc(
      'agentmeter_insert_rows_total',
      'Span rows sent to ClickHouse by result',
      { result },
      rows,
    )
  }

  private takeBatch(): Pending[] {
    const batch: Pending[] = []
    let rows = 0
    while (this.queue.length > 0) {
      const next = this.queue[0]!
      if (batch.length > 0 && rows + next.records.length > this.maxBatchRows) break
      batch.push(this.queue.shift()!)
      rows += next.records.length
    }
    return batch
  }
}
