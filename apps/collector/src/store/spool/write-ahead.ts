import type { Logger } from '../../logger'
import type { SpanRecord } from '../span-record'
import type { Spool, SpoolEntry } from './spool'

/** How a request's batch became durable: the path its 200 was answered on. */
export type AckPath = 'stored' | 'logged' | 'spooled'

export interface WriteAheadHooks {
  /** Whether `bytes` more fit in the spool's budget (write-ahead entries are counted in it). */
  fits(bytes: number): boolean
  /** The insert of a batch acknowledged on its write-ahead entry returned (see `acknowledge`). */
  stored(records: SpanRecord[]): void
  /** An entry was adopted into the replay order (its insert failed): replay it. */
  adopted(): void
  /** The request waits for its insert after all: the insert must not wait for more rows. */
  hurry(): void
  /** A write-ahead entry took `seconds` to be written and fsynced (or to fail). */
  timed(seconds: number): void
}

type InsertResult = { ok: true } | { ok: false; err: unknown }
type LogResult = { entry: SpoolEntry } | { entry: null; err: unknown }

/**
 * Write-ahead acknowledgement: every insert into `spans` pays a fixed cost (a new part, the
 * materialized view's part: 25 to 120 ms on a plain disk), far above an fsync of the batch's
 * file (a few ms). When an insert has not returned within `budgetMillis`, the batch is written
 * and fsynced to the spool directory as a write-ahead entry while the insert goes on, and the
 * request is acknowledged on whichever is durable first. The entry is dropped once ClickHouse
 * acknowledged the insert; when the insert fails it joins the spool's replay at its place in
 * arrival order (its sequence number); left over by a crash it is replayed at the next start,
 * where inserting it a second time is harmless (the spans table keeps one row per span under
 * FINAL, and a server skips a retried block by its deduplication token).
 *
 * Concurrent requests share the directory fsync that makes their renames durable, and their
 * file fsyncs land in the same journal commit of the file system, so a burst of requests pays
 * about one commit, not one each.
 */
export class WriteAhead {
  private readonly finishing = new Set<Promise<unknown>>()

  constructor(
    private readonly spool: Spool,
    private readonly budgetMillis: number,
    private readonly hooks: WriteAheadHooks,
    private readonly logger: Logger,
  ) {}

  /**
   * Resolves with the path on which the batch is durable, once it is: `stored` (the insert
   * returned first), `logged` (its write-ahead entry was fsynced first) or `spooled` (the insert
   * failed and the entry was adopted for replay). Rejects with the insert's error when nothing
   * of the batch is durable, for the caller to spool it as before.
   */
  async acknowledge(
    insert: Promise<void>,
    /**
     * What `hooks.stored` is told once the insert returned: a summary of the rows
     * (`storedSummary`), since it is kept until then, up to the insert's lingering and more.
     */
    records: SpanRecord[],
    owner: string,
    /** The entry's bytes, made only when the budget is passed. */
    encode: () => Buffer,
  ): Promise<AckPath> {
    const inserted: Promise<InsertResult> = insert.then(
      () => ({ ok: true }),
      (err: unknown) => ({ ok: false, err }),
    )
    let timer: NodeJS.Timeout | undefined
    const budget = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.budgetMillis)
    })
    const early = await Promise.race([inserted, budget])
    clearTimeout(timer)
    if (early) return settle(early)

    const data = encode()
    // Over the budget the request waits for its insert, as without write-ahead: never a 503.
    if (!this.hooks.fits(data.byteLength)) {
      this.hooks.hurry()
      return settle(await inserted)
    }
    const startedAt = performance.now()
    const logged: Promise<LogResult> = this.spool.logAhead(owner, data).then(
      (entry) => ({ entry }),
      (err: unknown) => ({ entry: null, err }),
    )
    void logged.then(() => this.hooks.timed((performance.now() - startedAt) / 1000))
    const finished = this.track(this.finish(inserted, logged))

    const first = await Promise.race([inserted, logged])
    if ('ok' in first) {
      if (first.ok) return 'stored'
      // The insert failed: the entry, once written, is adopted for replay (by `finish`).
      const log = await logged
      if (log.entry === null) throw first.err
      await finished
      return 'spooled'
    }
    if (first.entry === null) {
      this.logger.warn({
        module: 'spool',
        message: 'write-ahead entry failed; waiting for the insert',
        err: first.err,
      })
      this.hooks.hurry()
      return settle(await inserted)
    }
    void inserted.then((result) => {
      if (result.ok) this.hooks.stored(records)
    })
    return 'logged'
  }

  /** Resolves once every write-ahead entry written so far is released or adopted. */
  async settled(): Promise<void> {
    while (this.finishing.size > 0) await Promise.all(this.finishing)
  }

  private async finish(inserted: Promise<InsertResult>, logged: Promise<LogResult>) {
    const [insert, log] = await Promise.all([inserted, logged])
    if (log.entry === null) return
    try {
      if (insert.ok) {
        await this.spool.release(log.entry)
        return
      }
      await this.spool.adopt(log.entry)
      this.hooks.adopted()
    } catch (err) {
      // The file stays where it is and is replayed at the next start.
      this.logger.error({ module: 'spool', message: 'write-ahead entry not settled', err })
    }
  }

  private track<T>(work: Promise<T>): Promise<T> {
    this.finishing.add(work)
    void work.finally(() => this.finishing.delete(work))
    return work
  }
}

function settle(result: InsertResult): 'stored' {
  if (!result.ok) throw result.err
  return 'stored'
}
