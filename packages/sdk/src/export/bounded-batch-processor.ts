import type { Context } from '@opentelemetry/api'
import { ExportResultCode, type ExportResult } from '@opentelemetry/core'
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base'
import { describeError } from '../safe'
import { log } from '../state'
import { completeSpans } from './complete-spans'
import { noLoss, type ExportStats, type LossReason } from './export-stats'
import { backoffMillis, classifyFailure, ExportTimeoutError } from './retry-policy'
import { SpanQueue } from './span-queue'

export interface BoundedBatchOptions {
  /** @default 2048 */
  maxQueueSize?: number
  /** @default 512 */
  maxBatchSize?: number
  /** How long a span may wait for a batch to fill. @default 5000 */
  scheduledDelayMillis?: number
  /** Give up on one export attempt after this long. @default 10000 */
  exportTimeoutMillis?: number
  /**
   * How long a batch whose export failed for a retryable reason is retried, from its first
   * failure; 0 turns retries off. @default 60000
   */
  maxRetryAgeMillis?: number
  /** Where the exporter sends, named by the one warning about a refused batch. */
  endpoint?: string
  /** The clock and the jitter's source, for tests. */
  now?: () => number
  random?: () => number
}

interface Batch {
  spans: ReadableSpan[]
  /** When its first attempt failed for a retryable reason; undefined before. */
  firstFailedAt: number | undefined
  /** Its late attributes are computed (once, before its first attempt). */
  completed: boolean
}

/**
 * Batches ended spans for export without ever making the app wait. Ending a span is an array
 * push (or, with the queue full, a counted drop of the oldest); exports run one at a time on
 * unref'd timers, so a slow or dead collector costs the app neither latency nor unbounded memory
 * and never keeps its process alive. A batch whose export failed for a retryable reason (the
 * collector down, restarting, overloaded) goes back to the head of the queue and is sent again
 * after an exponential backoff or the collector's `Retry-After`, for up to the maximum retry
 * age; while it waits, nothing else is sent (the collector is presumed down) and new spans queue
 * behind it, within the same bound. Everything lost is counted by reason, and reported once to
 * `diag` when it starts, instead of once per span.
 */
export class BoundedBatchSpanProcessor implements SpanProcessor {
  private readonly fresh = new SpanQueue<ReadableSpan>()
  /** Batches waiting for a retry, oldest first (older than every span in `fresh`). */
  private readonly retries: Batch[] = []
  private readonly maxQueueSize: number
  private readonly maxBatchSize: number
  private readonly scheduledDelayMillis: number
  private readonly exportTimeoutMillis: number
  private readonly maxRetryAgeMillis: number
  private readonly now: () => number
  private readonly random: () => number
  private timer: NodeJS.Timeout | undefined
  private exporting: Promise<void> | undefined
  /** Retryable failures in a row, for the backoff; 0 once an export succeeded. */
  private failures = 0
  /** No attempt before this instant (a backoff or `Retry-After`); 0 when not backing off. */
  private notBefore = 0
  private stopped = false
  private readonly warned = new Set<'drop' | 'retry' | 'loss' | 'refusal' | 'rejection'>()
  private readonly endpoint: string
  private readonly counts = { exportedSpans: 0, retriedExports: 0 }
  private readonly lost: Record<LossReason, number> = noLoss()

  constructor(
    private readonly exporter: SpanExporter,
    options: BoundedBatchOptions = {},
  ) {
    this.maxQueueSize = options.maxQueueSize ?? 2048
    this.maxBatchSize = Math.min(options.maxBatchSize ?? 512, this.maxQueueSize)
    this.scheduledDelayMillis = options.scheduledDelayMillis ?? 5000
    this.exportTimeoutMillis = options.exportTimeoutMillis ?? 10_000
    this.maxRetryAgeMillis = options.maxRetryAgeMillis ?? 60_000
    this.endpoint = options.endpoint ?? 'the configured endpoint'
    this.now = options.now ?? Date.now
    this.random = options.random ?? Math.random
  }

  /** Spans of the batches waiting for a retry: a few batches at most (the queue's bound). */
  private get retrySpans(): number {
    let spans = 0
    for (const batch of this.retries) spans += batch.spans.length
    return spans
  }

  stats(): ExportStats {
    const { queue_full, ...failed } = this.lost
    return {
      queuedSpans: this.fresh.length + this.retrySpans,
      exportedSpans: this.counts.exportedSpans,
      droppedSpans: queue_full,
      failedSpans: Object.values(failed).reduce((sum, count) => sum + count, 0),
      retryingSpans: this.retrySpans,
      retriedExports: this.counts.retriedExports,
      lostByReason: { ...this.lost },
    }
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.stopped || (span.spanContext().traceFlags & 1) === 0) return
    if (this.fresh.length + this.retrySpans >= this.maxQueueSize) this.dropOldest()
    this.fresh.push(span)
    // While backing off, the retry timer is set and sends first; a full batch does not hurry it.
    if (this.notBefore !== 0) return
    if (this.fresh.length >= this.maxBatchSize) this.schedule(0)
    else this.schedule(this.scheduledDelayMillis)
  }

  async forceFlush(): Promise<void> {
    await this.flush()
    this.scheduleNext()
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return
    await this.flush()
    this.stopped = true
    // What the last tries could not send within the timeout is lost, and counted.
    for (const batch of this.retries.splice(0)) this.lose(batch.spans.length, 'gave_up')
    this.lose(this.fresh.take(this.fresh.length).length, 'gave_up')
    await this.exporter.shutdown()
  }

  /**
   * Waits for the export under way, then sends what is queued, waiting retries included (their
   * backoff is cut short), each batch once more: a batch that fails again is lost and counted,
   * so that a flush ends. Gives up after one export timeout in all, leaving what it did not
   * reach queued.
   */
  private async flush(): Promise<void> {
    this.clearTimer()
    if (this.exporting) await this.exporting
    const deadline = this.now() + this.exportTimeoutMillis
    while (this.exporting || this.fresh.length > 0 || this.retries.length > 0) {
      // An export that ended meanwhile may have set the next timer; the flush sends instead.
      this.clearTimer()
      if (this.exporting) {
        await this.exporting
        continue
      }
      const left = deadline - this.now()
      if (left <= 0) break
      await this.exportBatch(true, Math.min(left, this.exportTimeoutMillis))
    }
  }

  private dropOldest(): void {
    const batch = this.retries.shift()
    if (batch) {
      this.lose(batch.spans.length, 'queue_full')
    } else {
      this.fresh.shift()
      this.lose(1, 'queue_full')
    }
    if (!this.warned.has('drop')) {
      this.warned.add('drop')
      log.warn(
        `span queue full (${this.maxQueueSize}); dropping the oldest spans until the collector catches up`,
      )
    }
  }

  private lose(spans: number, reason: LossReason): void {
    this.lost[reason] += spans
  }

  private schedule(delayMillis: number): void {
    if (this.exporting || this.stopped) return // the running export reschedules when it finishes
    if (this.timer && delayMillis > 0) return
    this.clearTimer()
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.exportBatch(false, this.exportTimeoutMillis)
    }, delayMillis)
    // A pending export must not keep a finished app alive; shutdown() flushes on purpose.
    this.timer.unref()
  }

  /** After an export, or a flush: the next timer, if anything is left to send. */
  private scheduleNext(): void {
    if (this.exporting || this.stopped) return
    if (this.fresh.length === 0 && this.retries.length === 0) return
    const wait = this.notBefore - this.now()
    if (this.notBefore !== 0 && wait > 0) {
      this.clearTimer()
      this.schedule(wait)
    } else if (this.retries.length > 0 || this.fresh.length >= this.maxBatchSize) {
      this.schedule(0)
    } else {
      this.schedule(this.scheduledDelayMillis)
    }
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }

  private exportBatch(final: boolean, timeoutMillis: number): Promise<void> {
    if (this.exporting) return this.exporting
    this.expireRetries()
    let batch = this.retries.shift()
    if (!batch && this.fresh.length > 0) {
      batch = {
        spans: this.fresh.take(this.maxBatchSize),
        firstFailedAt: undefined,
        completed: false,
      }
    }
    if (!batch) return Promise.resolve()
    this.exporting = this.attempt(batch, final, timeoutMillis).finally(() => {
      this.exporting = undefined
      if (!final) this.scheduleNext()
    })
    return this.exporting
  }

  private expireRetries(): void {
    const now = this.now()
    for (let i = this.retries.length - 1; i >= 0; i--) {
      const batch = this.retries[i]!
      if (now - batch.firstFailedAt! <= this.maxRetryAgeMillis) continue
      this.retries.splice(i, 1)
      this.lose(batch.spans.length, 'retry_expired')
      this.warnLoss('the export was retried for too long')
    }
  }

  private async attempt(batch: Batch, final: boolean, timeoutMillis: number): Promise<void> {
    if (!batch.completed) {
      await completeSpans(batch.spans)
      batch.completed = true
    } else {
      this.counts.retriedExports++
    }
    const result = await this.send(batch.spans, timeoutMillis)
    if (result.code === ExportResultCode.SUCCESS) {
      this.counts.exportedSpans += batch.spans.length
      this.failures = 0
      this.notBefore = 0
      return
    }
    const verdict = classifyFailure(result.error)
    if (verdict.kind !== 'retry') {
      // The collector answered: it is up, whatever it thought of this batch.
      this.notBefore = 0
      if (verdict.kind === 'rejected') {
        this.lose(batch.spans.length, 'rejected')
        this.warnRejected(verdict.status, batch.spans.length)
      } else {
        this.lose(batch.spans.length, 'export_failed')
      }
      this.warnLoss(describeError(result.error))
      return
    }
    const now = this.now()
    this.failures++
    const delay = verdict.retryAfterMillis ?? backoffMillis(this.failures, this.random)
    this.notBefore = now + delay
    const firstFailedAt = batch.firstFailedAt ?? now
    if (final || now + delay - firstFailedAt > this.maxRetryAgeMillis) {
      this.lose(batch.spans.length, final ? 'gave_up' : 'retry_expired')
      this.warnLoss(describeError(result.error))
      return
    }
    batch.firstFailedAt = firstFailedAt
    this.retries.unshift(batch)
    while (this.fresh.length + this.retrySpans > this.maxQueueSize) this.dropOldest()
    if (!this.warned.has('retry')) {
      this.warned.add('retry')
      log.warn(
        `span export failed (${describeError(result.error)}); retrying with backoff for up to ${this.maxRetryAgeMillis} ms`,
      )
    }
  }

  private warnLoss(why: string): void {
    if (this.warned.has('loss')) return
    this.warned.add('loss')
    log.warn(`span export failed; spans are counted as lost: ${why}`)
  }

  /**
   * A refused key or batch is the one export failure a person must fix, and `diag` (where the
   * rest goes) is silent unless the app registered a logger: each gets one line on stderr,
   * naming the endpoint and the status, never the key or the collector's answer.
   */
  private warnRejected(status: number, spans: number): void {
    if (status === 401 || status === 403) {
      if (this.warned.has('refusal')) return
      this.warned.add('refusal')
      console.warn(
        `agentmeter: the collector at ${this.endpoint} refused the API key (HTTP ${status}); spans are not stored until AGENTMETER_API_KEY holds a key with the ingest scope`,
      )
      return
    }
    if (this.warned.has('rejection')) return
    this.warned.add('rejection')
    console.warn(
      `agentmeter: the collector at ${this.endpoint} rejected a batch of ${spans} spans (HTTP ${status}); rejected batches are dropped, not retried, and counted in stats().lostByReason.rejected`,
    )
  }

  private send(batch: ReadableSpan[], timeoutMillis: number): Promise<ExportResult> {
    return new Promise((resolve) => {
      let settled = false
      const finish = (result: ExportResult) => {
        if (settled) return
        settled = true
        clearTimeout(timeout)
        resolve(result)
      }
      const timeout = setTimeout(
        () => finish({ code: ExportResultCode.FAILED, error: new ExportTimeoutError() }),
        timeoutMillis,
      )
      timeout.unref()
      try {
        this.exporter.export(batch, finish)
      } catch (error) {
        finish({ code: ExportResultCode.FAILED, error: error as Error })
      }
    })
  }
}
