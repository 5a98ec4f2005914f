/** Settings, status and errors of the local spool, shared by the durable writer and its callers. */

export interface SpoolSettings {
  /** Bytes the spool may hold; a batch that does not fit is refused (503). */
  maxBytes: number
  /** Share of `maxBytes` one key may hold, in percent; beyond it that key gets a 429. */
  maxKeySharePercent: number
  /** How long shutdown keeps replaying before it leaves the rest for the next start. */
  shutdownMillis: number
  /** Rows per replay insert. */
  replayBatchRows?: number
  /** First wait after a failed replay, doubled per failure up to `maxRetryMillis`. */
  retryBaseMillis?: number
  maxRetryMillis?: number
  /**
   * Replays of one batch that ClickHouse refuses for its content (`isDataRejection`) before the
   * batch is moved to the quarantine; default 5. Outages never count.
   */
  maxRejections?: number
  /**
   * Milliseconds an insert may run before its batch is also written to a write-ahead entry and
   * acknowledged on that entry's fsync (see `write-ahead.ts`); 0 writes every batch ahead at
   * once; null or unset waits for the insert.
   */
  writeAheadMillis?: number | null
}

/** The spool as `/readyz` and the admin API show it. */
export interface SpoolStatus {
  batches: number
  bytes: number
  quarantined: { batches: number; bytes: number }
}

/** The spool cannot take a batch: answered 503 (budget) or 429 (one key's share), never kept. */
export class SpoolFullError extends Error {
  constructor(
    readonly status: 429 | 503,
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super(message)
    this.name = 'SpoolFullError'
  }
}
