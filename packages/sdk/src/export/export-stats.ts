/**
 * What the SDK reports about the delivery of the spans it was handed (`stats()` of `init()`'s
 * handle): the export processor keeps these counts, and a handle whose setup failed reports
 * them all as zero.
 */

/** Why spans were not delivered. */
export type LossReason =
  /** The queue was full; the oldest spans (a batch waiting for its retry first) made room. */
  | 'queue_full'
  /** The collector refused the batch with a 4xx other than 429; sending it again would not help. */
  | 'rejected'
  /** The export failed for a reason a retry would not fix (HTTP 500, 501, an encoding error). */
  | 'export_failed'
  /** The batch was retried for the maximum retry age (`exportRetryMaxAgeMillis`) and failed. */
  | 'retry_expired'
  /** `shutdown()` or `forceFlush()` tried once more and failed, or ran out of time. */
  | 'gave_up'

/** What the SDK did with the spans it was handed, since `init()`. */
export interface ExportStats {
  /** Ended spans waiting to be sent, those waiting for a retry included. */
  queuedSpans: number
  /** Spans the collector acknowledged. */
  exportedSpans: number
  /** Spans dropped because the queue was full (the collector slow or down for long). */
  droppedSpans: number
  /** Spans lost after their export failed: rejected, failed, retried until expiry, given up. */
  failedSpans: number
  /** Of `queuedSpans`, those whose export failed for a retryable reason, waiting to be resent. */
  retryingSpans: number
  /** Export attempts that resent a batch. */
  retriedExports: number
  /** Every span not delivered, by reason: `droppedSpans` is `queue_full`, `failedSpans` the rest. */
  lostByReason: Record<LossReason, number>
}

/** Every loss reason at zero. */
export function noLoss(): Record<LossReason, number> {
  return { queue_full: 0, rejected: 0, export_failed: 0, retry_expired: 0, gave_up: 0 }
}

/** The stats of an SDK that has handed nothing on (tracing off after a failed `init()`). */
export function noStats(): ExportStats {
  return {
    queuedSpans: 0,
    exportedSpans: 0,
    droppedSpans: 0,
    failedSpans: 0,
    retryingSpans: 0,
    retriedExports: 0,
    lostByReason: noLoss(),
  }
}
