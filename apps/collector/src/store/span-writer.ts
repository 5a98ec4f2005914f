import type { ClickHouseClient } from '@clickhouse/client'
import type { Logger } from '../logger'
import { INSERT_ROWS, INSERT_SECONDS, INSERTS } from '../metric-catalog'
import type { Metrics } from '../metrics'
import { clickHouseErrorFields } from './clickhouse-error'
import { dedupToken } from './dedup-token'
import { rawInsertOf } from './client'
import {
  concatEncoded,
  encodeSpanRecords,
  insertEncodedRows,
  insertSpanRecords,
  type EncodedRows,
} from './insert-spans'
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
  /**
   * Inserts running at once, at most; default 1. Every insert pays a fixed cost (a new part, its
   * files, the materialized views' parts: tens of ms on a busy disk), so big batches are what
   * keeps up under load, and small ones are what keeps acks short when the load is light. With 2,
   * a request that arrives while an insert runs and finds no other request waiting starts an
   * insert of its own instead of waiting for the first to return; once two or more requests
   * wait, the extra lane stops and one lane takes them in one batch again.
   */
  lanes?: number
  /**
   * Batching for rows whose caller does not wait for the insert (acknowledged on a write-ahead
   * entry): an insert of such rows waits until `rows` are queued or the oldest waited `millis`.
   * Unset: every insert starts as soon as a lane is free.
   */
  linger?: { rows: number; millis: number }
}

export interface WriteOptions {
  /**
   * The caller does not wait for this insert to answer its request (a write-ahead entry does),
   * so the insert may wait for more rows, as `SpanWriterOptions.linger` says.
   */
  linger?: boolean
}

interface Pending {
  /**
   * The rows, kept only when the insert needs them (a server's insert, with the deduplication
   * token made from them). Encoded rows are dropped at once otherwise: a lingering batch lives
   * for a second or more, and its thousands of row objects, surviving every young-generation
   * collection meanwhile, made most of the collector's garbage-collection work.
   */
  records: SpanRecord[] | null
  rows: number
  /** The rows serialized when they arrived (embedded engine), off the path of the insert. */
  encoded: EncodedRows | null
  /** Whether the insert may wait for more rows (see `WriteOptions.linger`). */
  linger: boolean
  arrivedAt: number
  resolve: () => void
  reject: (err: unknown) => void
}

/**
 * Batches span inserts across concurrent requests ("group commit"): when no insert is running,
 * a request's rows go out at once; while one runs, the rows of every request that arrives are
 * gathered and sent together when it finishes. Each caller's promise settles only once its rows
 * are acknowledged by ClickHouse, so the ingest route can answer 200 on durable data alone.
 * Rows whose request was acknowledged on a write-ahead entry may instead wait for more rows
 * (`linger`), since nobody waits for their insert.
 */
export class SpanWriter {
  private queue: Pending[] = []
  private readonly running = new Set<Promise<void>>()
  /** Lanes inside their loop; counted in the same tick as each lane decides to stop. */
  private activeLanes = 0
  /** Lanes waiting for more rows, woken by every arrival and by `hurry`. */
  private readonly lingering = new Set<() => void>()

  private readonly maxBatchRows: number
  private readonly metrics: Metrics | null
  private readonly deduplicate: boolean
  private readonly lanes: number
  private readonly encode: boolean
  private readonly linger: { rows: number; millis: number } | null

  constructor(
    private readonly client: ClickHouseClient,
    private readonly logger: Logger,
    options: SpanWriterOptions = {},
  ) {
    this.maxBatchRows = options.maxBatchRows ?? 20_000
    this.metrics = options.metrics ?? null
    this.deduplicate = options.deduplicate ?? false
    this.lanes = Math.max(1, options.lanes ?? 1)
    this.linger = options.linger ?? null
    // Serializing a request's rows as they arrive overlaps it with the insert in flight; on the
    // embedded engine the lines then go to the engine as they are.
    this.encode = rawInsertOf(client) !== undefined
  }

  /** `given`: the rows already serialized (by the durable writer, for its write-ahead entry). */
  write(records: SpanRecord[], given?: EncodedRows, options: WriteOptions = {}): Promise<void> {
    if (records.length === 0) return Promise.resolve()
    let encoded: EncodedRows | null = null
    if (this.encode) {
      try {
        encoded = given ?? encodeSpanRecords(records)
      } catch (err) {
        return Promise.reject(err instanceof Error ? err : new Error(String(err)))
      }
    }
    const linger = this.linger !== null && options.linger === true
    return new Promise((resolve, reject) => {
      const alone = this.queue.length === 0
      this.queue.push({
        records: encoded && !this.deduplicate ? null : records,
        rows: records.length,
        encoded,
        linger,
        arrivedAt: performance.now(),
        resolve,
        reject,
      })
      this.wakeLingering()
      if (this.activeLanes === 0 || (this.activeLanes < this.lanes && alone)) this.startLane()
    })
  }

  /** Started apart from `write`, whose rows the lane's callbacks would otherwise keep alive. */
  private startLane(): void {
    this.activeLanes++
    const lane: Promise<void> = this.drain().finally(() => this.running.delete(lane))
    this.running.add(lane)
  }

  /** Whether inserts of write-ahead-acknowledged rows wait for more rows. */
  get lingers(): boolean {
    return this.linger !== null
  }

  /** Rows waiting for their insert (not counting the one in flight). */
  queuedRows(): number {
    return this.queue.reduce((total, pending) => total + pending.rows, 0)
  }

  /**
   * Inserts what is queued without waiting for more rows: a caller of a lingering write now
   * waits for its insert after all (its write-ahead entry could not be written).
   */
  hurry(): void {
    for (const pending of this.queue) pending.linger = false
    this.wakeLingering()
  }

  /** Resolves once everything queued so far is written (or failed). */
  async flush(): Promise<void> {
    this.hurry()
    while (this.running.size > 0) await Promise.all(this.running)
  }

  private async drain(): Promise<void> {
    for (;;) {
      // A lane stops when nothing waits, or when several requests wait, which another lane
      // takes as one batch. It is uncounted in the same tick as it decides, so that of two
      // lanes deciding one after the other, the last one always stays.
      if (this.queue.length === 0 || (this.activeLanes > 1 && this.queue.length > 1)) {
        this.activeLanes--
        return
      }
      const wait = this.lingerMillis()
      if (wait > 0) {
        await this.waitForRows(wait)
        continue
      }
      const batch = this.takeBatch()
      const rows = batch.reduce((total, pending) => total + pending.rows, 0)
      const startedAt = performance.now()
      try {
        await this.insert(batch)
        this.measure(startedAt, 'ok', rows)
        for (const pending of batch) pending.resolve()
        this.logger.debug({
          module: 'store',
          message: 'spans inserted',
          args: { rows, millis: Math.round(performance.now() - startedAt) },
        })
      } catch (err) {
        this.measure(startedAt, 'failed', rows)
        this.logger.error({
          module: 'store',
          message: 'span insert failed',
          args: { rows, ...clickHouseErrorFields(err) },
        })
        for (const pending of batch) pending.reject(err)
      }
    }
  }

  /** One insert of a batch from `takeBatch`: all encoded with one column list, or none. */
  private async insert(batch: Pending[]): Promise<void> {
    const rows = () => batch.flatMap((pending) => pending.records ?? [])
    // Retries of the same rows (spool replay, an unknown outcome) are skipped by the table.
    const settings = this.deduplicate
      ? { insert_deduplication_token: dedupToken(rows()) }
      : undefined
    if (batch[0]!.encoded === null) return insertSpanRecords(this.client, rows(), { settings })
    const parts = batch.map((pending) => pending.encoded!)
    await insertEncodedRows(this.client, concatEncoded(parts), { settings })
  }

  /**
   * How long the queue's insert may still wait for rows: 0 once any caller waits for it, the
   * rows fill a batch, or the oldest row waited its time. Every insert pays a fixed cost (tens
   * of ms of CPU for the part and the views' parts), so under load, batches of thousands of rows
   * leave the CPU to the rows themselves.
   */
  private lingerMillis(): number {
    if (this.linger === null || this.queue.some((pending) => !pending.linger)) return 0
    if (this.queuedRows() >= this.linger.rows) return 0
    return Math.max(0, this.queue[0]!.arrivedAt + this.linger.millis - performance.now())
  }

  private waitForRows(millis: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer)
        this.lingering.delete(wake)
        resolve()
      }
      const timer = setTimeout(wake, millis)
      this.lingering.add(wake)
    })
  }

  private wakeLingering(): void {
    for (const wake of [...this.lingering]) wake()
  }

  private measure(startedAt: number, result: 'ok' | 'failed', rows: number): void {
    if (!this.metrics) return
    this.metrics.observe(INSERT_SECONDS, (performance.now() - startedAt) / 1000)
    this.metrics.inc(INSERTS, { result })
    this.metrics.inc(INSERT_ROWS, { result }, rows)
  }

  /**
   * The queue's head up to `maxBatchRows`. Rows from `toSpanRecord` all have its columns; should
   * a batch of another shape come along (rows of another version, from the spool), it ends the
   * batch before it and goes in one of its own.
   */
  private takeBatch(): Pending[] {
    const batch: Pending[] = []
    let rows = 0
    const signature = this.queue[0]?.encoded?.signature
    while (this.queue.length > 0) {
      const next = this.queue[0]!
      if (batch.length > 0 && rows + next.rows > this.maxBatchRows) break
      if (batch.length > 0 && next.encoded?.signature !== signature) break
      batch.push(this.queue.shift()!)
      rows += next.rows
    }
    return batch
  }
}
