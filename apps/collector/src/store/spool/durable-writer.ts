import type { Logger } from '../../logger'
import {
  INGEST_ACKS,
  SPOOL_APPENDED_BATCHES,
  SPOOL_QUARANTINED_BATCHES,
  SPOOL_REPLAY_FAILURES,
  SPOOL_REPLAYED_BATCHES,
  SPOOL_REPLAYED_SPANS,
  WRITE_AHEAD_SECONDS,
} from '../../metric-catalog'
import type { Metrics } from '../../metrics'
import { clickHouseErrorFields } from '../clickhouse-error'
import { encodeSpanRecords, type EncodedRows } from '../insert-spans'
import { storedSummary, type SpanRecord } from '../span-record'
import type { QuarantineRecord } from './quarantine'
import { isDataRejection } from './rejection'
import { SpoolFullError, type SpoolSettings, type SpoolStatus } from './settings'
import { safeOwner, Spool, type SpoolEntry } from './spool'
import { registerSpoolMetrics } from './spool-metrics'
import { WriteAhead, type AckPath } from './write-ahead'

export { SpoolFullError, type SpoolSettings, type SpoolStatus } from './settings'
export type { AckPath } from './write-ahead'

/** Where the span writer's rows go: the small interface the ingest route depends on. */
export interface SpanSink {
  /**
   * Resolves once the rows are durable: `stored` when ClickHouse acknowledged them, `logged`
   * when their write-ahead entry was fsynced while the insert runs (the writer tells the alerts
   * once it returns), `spooled` when they were fsynced to the local spool (to be replayed).
   * Rejects with `SpoolFullError` when neither is possible; nothing of the batch is kept then.
   */
  write(records: SpanRecord[], owner: string): Promise<AckPath>
}

/** What the durable writer needs of the span writer (ClickHouse inserts with group commit). */
export interface RowWriter {
  /**
   * `encoded`: the rows already serialized by `encodeSpanRecords`, to be reused; `linger`: the
   * request is acknowledged on its write-ahead entry, so the insert may wait for more rows.
   */
  write(records: SpanRecord[], encoded?: EncodedRows, options?: { linger?: boolean }): Promise<void>
  /** Starts the queued inserts without waiting for more rows (a request waits for one). */
  hurry?(): void
  /** Whether lingering writes wait for more rows before their insert starts. */
  readonly lingers?: boolean
  flush(): Promise<void>
}

/**
 * Durable acknowledgement around the span writer. A batch goes to ClickHouse; when the insert
 * fails, the batch is fsynced to the spool instead and still acknowledged. While the spool holds
 * anything, new batches are appended behind it (so replay keeps arrival order and a dead store
 * is not waited on per request), and one replay loop inserts the oldest entries, removing each
 * only after ClickHouse acknowledged it. A crash between the insert and the unlink replays the
 * same entries again, grouped the same way (from the head, up to `replayBatchRows`), so the span
 * writer's content-derived deduplication token makes ClickHouse skip the second insert. Should
 * batches have been appended in between and the group differ, the spans table's
 * ReplacingMergeTree, read with FINAL, still counts each span once.
 */
export class DurableWriter implements SpanSink {
  private replaying: Promise<void> | null = null
  /** Bytes of appends under way (checked against the budget before they are indexed). */
  private pending = { appends: 0, bytes: 0, byOwner: new Map<string, number>() }
  private closed = false
  private wake: (() => void) | null = null
  /** Told the rows once ClickHouse has them; may get each row's `storedSummary` only. */
  private readonly onStored: (records: SpanRecord[]) => void
  /** Refused replays per entry (by sequence number), towards `maxRejections`. */
  private rejections = new Map<number, number>()
  /** While set, entries up to this sequence number replay one at a time (see `replayLoop`). */
  private isolateThrough: number | null = null
  private replayFailures = 0
  /** Acknowledges on a write-ahead entry when an insert is slow; null when turned off. */
  private readonly writeAhead: WriteAhead | null

  constructor(
    private readonly writer: RowWriter,
    private readonly spool: Spool,
    private readonly settings: SpoolSettings,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    onStored: (records: SpanRecord[]) => void = () => {},
  ) {
    this.onStored = onStored
    this.writeAhead =
      settings.writeAheadMillis === null || settings.writeAheadMillis === undefined
        ? null
        : new WriteAhead(
            spool,
            // An insert that waits for more rows cannot return within a budget: the entry is
            // written at once, and the request spared a wait that could only run out.
            writer.lingers === true ? 0 : settings.writeAheadMillis,
            {
              fits: (bytes) => this.spoolBytes() + bytes <= settings.maxBytes,
              stored: (records) => this.notifyStored(records),
              adopted: () => this.startReplay(),
              hurry: () => this.writer.hurry?.(),
              timed: (seconds) => metrics.observe(WRITE_AHEAD_SECONDS, seconds),
            },
            logger,
          )
    registerSpoolMetrics(metrics, spool)
  }

  /** Starts replaying what a previous process left in the spool (once listeners are ready). */
  start(): void {
    if (this.spool.batches > 0) this.startReplay()
  }

  /**
   * Replays what a previous process left (its write-ahead entries and its spool) and resolves
   * once the spool is empty, a replay failed (storage down: the replay goes on in the
   * background) or `millis` passed.
   */
  async recover(millis: number): Promise<void> {
    const deadline = Date.now() + millis
    const failures = this.replayFailures
    while (this.spool.batches > 0 && this.replayFailures === failures && Date.now() < deadline) {
      this.startReplay()
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  async write(records: SpanRecord[], owner: string): Promise<AckPath> {
    if (records.length === 0) return 'stored'
    const path = await this.durable(records, owner)
    this.metrics.inc(INGEST_ACKS, { path }, 1)
    return path
  }

  private async durable(records: SpanRecord[], owner: string): Promise<AckPath> {
    if (!this.backlogged()) {
      try {
        if (!this.writeAhead) {
          await this.writer.write(records)
          return 'stored'
        }
        // Serialized once, for the insert and for the write-ahead entry alike.
        const encoded = encodeSpanRecords(records)
        const insert = this.writer.write(records, encoded, { linger: true })
        return await this.writeAhead.acknowledge(insert, records.map(storedSummary), owner, () =>
          Spool.encodeCompact(encoded),
        )
      } catch (err) {
        this.logger.warn({
          module: 'spool',
          message: 'insert failed; spooling the batch',
          args: { rows: records.length, ...clickHouseErrorFields(err) },
        })
      }
    }
    await this.append(records, owner)
    return 'spooled'
  }

  status(): SpoolStatus {
    return {
      batches: this.spool.batches,
      bytes: this.spool.bytes,
      quarantined: { batches: this.spool.quarantine.batches, bytes: this.spool.quarantine.bytes },
    }
  }

  /** The quarantined batches and why ClickHouse refused them. */
  quarantined(): Promise<QuarantineRecord[]> {
    return this.spool.quarantine.list()
  }

  /** Puts the quarantined batches back in the spool and replays them (after a fix). */
  async redrive(): Promise<number> {
    const moved = await this.spool.redrive()
    if (moved > 0) {
      this.logger.info({
        module: 'spool',
        message: 'quarantined batches re-driven',
        args: { moved },
      })
      this.startReplay()
      this.wake?.()
    }
    return moved
  }

  /** Replays until the spool is empty or `shutdownMillis` passed; what is left stays on disk. */
  async close(): Promise<void> {
    await this.writer.flush()
    await this.writeAhead?.settled()
    const deadline = Date.now() + this.settings.shutdownMillis
    while (this.spool.batches > 0 && Date.now() < deadline) {
      this.startReplay()
      this.wake?.()
      let timer: NodeJS.Timeout | undefined
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))
      })
      await Promise.race([this.replaying, timeout])
      clearTimeout(timer)
    }
    this.closed = true
    this.wake?.()
    await this.replaying
    if (this.spool.batches > 0) {
      this.logger.warn({
        module: 'spool',
        message: 'storage still unavailable at shutdown; the spool is replayed at the next start',
        args: { batches: this.spool.batches, bytes: this.spool.bytes },
      })
    }
    this.spool.close()
  }

  private backlogged(): boolean {
    return this.spool.batches > 0 || this.pending.appends > 0
  }

  private async append(records: SpanRecord[], owner: string): Promise<void> {
    const data = Spool.encode(records)
    const bytes = data.byteLength
    this.checkBudget(owner, bytes)
    const key = safeOwner(owner)
    this.reserve(key, bytes)
    try {
      await this.spool.append(owner, data)
    } finally {
      this.reserve(key, -bytes)
    }
    this.metrics.inc(SPOOL_APPENDED_BATCHES, {}, 1)
    this.startReplay()
  }

  private reserve(owner: string, bytes: number): void {
    this.pending.appends += Math.sign(bytes)
    this.pending.bytes += bytes
    this.pending.byOwner.set(owner, (this.pending.byOwner.get(owner) ?? 0) + bytes)
  }

  /** Bytes on disk and under way: spool entries, appends, write-ahead entries. */
  private spoolBytes(): number {
    return this.spool.bytes + this.pending.bytes + this.spool.aheadBytes
  }

  private checkBudget(owner: string, bytes: number): void {
    const { maxBytes, maxKeySharePercent } = this.settings
    const keyBudget = Math.floor((maxBytes * maxKeySharePercent) / 100)
    const ownerBytes = this.spool.bytesOf(owner) + (this.pending.byOwner.get(safeOwner(owner)) ?? 0)
    if (ownerBytes + bytes > keyBudget) {
      throw new SpoolFullError(
        429,
        5,
        `storage is unavailable and this key's spans fill its share of the spool (${maxKeySharePercent}% of ${maxBytes} bytes, AGENTMETER_SPOOL_KEY_SHARE_PERCENT); the spans were not stored, retry later`,
      )
    }
    if (this.spoolBytes() + bytes > maxBytes) {
      throw new SpoolFullError(
        503,
        5,
        `storage is unavailable and the spool is full (${maxBytes} bytes, AGENTMETER_SPOOL_MAX_BYTES); the spans were not stored, retry later`,
      )
    }
  }

  private startReplay(): void {
    if (this.replaying || this.closed) return
    this.replaying = this.replayLoop().finally(() => {
      this.replaying = null
      // An append that landed while the loop was finishing is picked up by a new loop.
      if (this.spool.batches > 0 && !this.closed) this.startReplay()
    })
  }

  /**
   * Replays the spool head until the spool is empty. An outage is waited out with backoff,
   * however long it lasts. A refusal of the rows themselves is different: when a group of
   * entries is refused, its entries are retried one at a time to find the one at fault; an
   * entry refused `maxRejections` times alone (with the same backoff) goes to the quarantine,
   * and the rest of the spool drains behind it. A file that does not parse goes there at once.
   */
  private async replayLoop(): Promise<void> {
    const base = this.settings.retryBaseMillis ?? 500
    let wait = base
    while (this.spool.batches > 0 && !this.closed) {
      const head = this.spool.headSeq()
      const single = this.isolateThrough !== null && head !== null && head <= this.isolateThrough
      const { entries, records, unreadable } = await this.spool.readHead(
        single ? 1 : (this.settings.replayBatchRows ?? 20_000),
      )
      if (unreadable) {
        await this.setAside(unreadable.entry, 0, 0, unreadable.err)
        continue
      }
      try {
        await this.writer.write(records)
      } catch (err) {
        this.replayFailures++
        this.metrics.inc(SPOOL_REPLAY_FAILURES, {}, 1)
        if (isDataRejection(err) && entries.length > 1) {
          this.isolateThrough = entries[entries.length - 1]!.seq
          this.logger.warn({
            module: 'spool',
            message: 'replay refused by ClickHouse; retrying its batches one at a time',
            args: { batches: entries.length, ...clickHouseErrorFields(err) },
          })
          continue
        }
        if (isDataRejection(err)) {
          const entry = entries[0]!
          const attempts = (this.rejections.get(entry.seq) ?? 0) + 1
          this.rejections.set(entry.seq, attempts)
          if (attempts >= (this.settings.maxRejections ?? 5)) {
            await this.setAside(entry, records.length, attempts, err)
            wait = base
            continue
          }
        }
        this.logger.warn({
          module: 'spool',
          message: 'replay failed; retrying',
          args: { batches: entries.length, waitMillis: wait, ...clickHouseErrorFields(err) },
        })
        await this.pause(wait)
        wait = Math.min(wait * 2, this.settings.maxRetryMillis ?? 30_000)
        continue
      }
      wait = base
      for (const entry of entries) this.rejections.delete(entry.seq)
      const last = entries[entries.length - 1]!.seq
      if (this.isolateThrough !== null && last >= this.isolateThrough) this.isolateThrough = null
      await this.acknowledge(entries, records)
    }
  }

  private async setAside(
    entry: SpoolEntry,
    spans: number,
    attempts: number,
    err: unknown,
  ): Promise<void> {
    await this.spool.setAside(entry, spans, attempts, err)
    this.rejections.delete(entry.seq)
    if (this.isolateThrough !== null && entry.seq >= this.isolateThrough) this.isolateThrough = null
    this.metrics.inc(SPOOL_QUARANTINED_BATCHES, {}, 1)
    // The error's message is left out: ClickHouse quotes the refused values (span data) in it.
    // It is in the quarantine's record beside the batch.
    this.logger.error({
      module: 'spool',
      message: 'spooled batch refused by ClickHouse; moved to the quarantine',
      args: { seq: entry.seq, spans, attempts, ...clickHouseErrorFields(err) },
    })
  }

  private async acknowledge(entries: SpoolEntry[], records: SpanRecord[]): Promise<void> {
    await this.spool.remove(entries)
    this.metrics.inc(SPOOL_REPLAYED_BATCHES, {}, entries.length)
    this.metrics.inc(SPOOL_REPLAYED_SPANS, {}, records.length)
    this.notifyStored(records)
  }

  private notifyStored(records: SpanRecord[]): void {
    try {
      this.onStored(records)
    } catch (err) {
      this.logger.error({ module: 'spool', message: 'stored-rows listener failed', err })
    }
  }

  private pause(millis: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, millis)
      function done() {
        clearTimeout(timer)
        resolve()
      }
      this.wake = () => {
        this.wake = null
        done()
      }
    })
  }
}
