import type { ClickHouseClient } from '@clickhouse/client'
import type { Logger } from '../logger'
import { clickHouseErrorFields } from './clickhouse-error'
import { dedupToken } from './dedup-token'
import type { SpanRecord } from './span-record'

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

  /**
   * @param sessionSettings `true` for the embedded engine, whose connection applies per-query
   *   settings as `SET` in its one session, where they would stay for later queries: the
   *   deduplication token is then cleared after each insert, so no other insert into `spans`
   *   (a reprice, a test's own rows) is skipped under a batch's token.
   */
  constructor(
    private readonly client: ClickHouseClient,
    private readonly logger: Logger,
    private readonly maxBatchRows = 20_000,
    private readonly sessionSettings = false,
  ) {}

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
        await this.client.insert({
          table: 'spans',
          values: rows,
          format: 'JSONEachRow',
          // Retries of the same rows (spool replay, an unknown outcome) are skipped by the table.
          clickhouse_settings: { insert_deduplication_token: dedupToken(rows) },
        })
        for (const pending of batch) pending.resolve()
        this.logger.debug({
          module: 'store',
          message: 'spans inserted',
          args: { rows: rows.length, millis: Math.round(performance.now() - startedAt) },
        })
      } catch (err) {
        this.logger.error({
          module: 'store',
          message: 'span insert failed',
          args: { rows: rows.length, ...clickHouseErrorFields(err) },
        })
        for (const pending of batch) pending.reject(err)
      }
      if (this.sessionSettings) await this.clearToken()
    }
    this.inFlight = null
  }

  private async clearToken(): Promise<void> {
    await this.client
      .command({ query: 'SELECT 1', clickhouse_settings: { insert_deduplication_token: '' } })
      .catch(() => {})
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
