import type { Context } from '@opentelemetry/api'
import { ExportResultCode, type ExportResult } from '@opentelemetry/core'
import type { ReadableSpan, Span, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base'
import { describeError } from '../safe'
import { log } from '../state'
import { completeSpans } from './complete-spans'

/** What the SDK did with the spans it was handed, since `init()`. */
export interface ExportStats {
  /** Ended spans waiting to be sent. */
  queuedSpans: number
  /** Spans the collector acknowledged. */
  exportedSpans: number
  /** Spans dropped because the queue was full (the collector slow or down for long). */
  droppedSpans: number
  /** Spans lost because their export failed (the exporter already retried what it could). */
  failedSpans: number
}

export interface BoundedBatchOptions {
  /** @default 2048 */
  maxQueueSize?: number
  /** @default 512 */
  maxBatchSize?: number
  /** How long a span may wait for a batch to fill. @default 5000 */
  scheduledDelayMillis?: number
  /** Give up on one export after this long. @default 10000 */
  exportTimeoutMillis?: number
  /** Where the exporter sends, named by the one warning about a refused key. */
  endpoint?: string
}

/**
 * Batches ended spans for export without ever making the app wait. Ending a span is an array
 * push (or, with the queue full, a counted drop); exports run one at a time on timers, so a slow
 * or dead collector costs the app neither latency nor unbounded memory. Everything dropped or
 * lost is counted, and reported once to `diag` when it starts, instead of once per span.
 */
export class BoundedBatchSpanProcessor implements SpanProcessor {
  private readonly queue: ReadableSpan[] = []
  private readonly maxQueueSize: number
  private readonly maxBatchSize: number
  private readonly scheduledDelayMillis: number
  private readonly exportTimeoutMillis: number
  private timer: NodeJS.Timeout | undefined
  private exporting: Promise<void> | undefined
  private stopped = false
  private warnedDrop = false
  private warnedFailure = false
  private warnedRefusal = false
  private readonly endpoint: string
  private readonly counts = { exportedSpans: 0, droppedSpans: 0, failedSpans: 0 }

  constructor(
    private readonly exporter: SpanExporter,
    options: BoundedBatchOptions = {},
  ) {
    this.maxQueueSize = options.maxQueueSize ?? 2048
    this.maxBatchSize = Math.min(options.maxBatchSize ?? 512, this.maxQueueSize)
    this.scheduledDelayMillis = options.scheduledDelayMillis ?? 5000
    this.exportTimeoutMillis = options.exportTimeoutMillis ?? 10_000
    this.endpoint = options.endpoint ?? 'the configured endpoint'
  }

  /**
   * A refused key is the one export failure a person must fix, and `diag` (where the rest goes)
   * is silent unless the app registered a logger: it gets one line on stderr, naming the
   * endpoint and the status, never the key.
   */
  private warnIfRefused(error: unknown): void {
    const status = (error as { code?: unknown } | undefined)?.code
    if (this.warnedRefusal || (status !== 401 && status !== 403)) return
    this.warnedRefusal = true
    console.warn(
      `agentmeter: the collector at ${this.endpoint} refused the API key (HTTP ${status}); spans are not stored until AGENTMETER_API_KEY holds a key with the ingest scope`,
    )
  }

  stats(): ExportStats {
    return { queuedSpans: this.queue.length, ...this.counts }
  }

  onStart(_span: Span, _parentContext: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.stopped || (span.spanContext().traceFlags & 1) === 0) return
    if (this.queue.length >= this.maxQueueSize) {
      this.counts.droppedSpans++
      if (!this.warnedDrop) {
        this.warnedDrop = true
        log.warn(
          `span queue full (${this.maxQueueSize}); dropping spans until the collector catches up`,
        )
      }
      return
    }
    this.queue.push(span)
    if (this.queue.length >= this.maxBatchSize) this.schedule(0)
    else this.schedule(this.scheduledDelayMillis)
  }

  async forceFlush(): Promise<void> {
    this.clearTimer()
    while (this.queue.length > 0 || this.exporting) {
      if (this.exporting) await this.exporting
      else await this.exportBatch()
    }
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return
    await this.forceFlush()
    this.stopped = true
    await this.exporter.shutdown()
  }

  private schedule(delayMillis: number): void {
    if (this.exporting) return // the running export reschedules when it finishes
    if (this.timer && delayMillis > 0) return
    this.clearTimer()
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.exportBatch()
    }, delayMillis)
    // A pending export must not keep a finished app alive; shutdown() flushes on purpose.
    this.timer.unref()
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
  }

  private exportBatch(): Promise<void> {
    if (this.exporting || this.queue.length === 0) return this.exporting ?? Promise.resolve()
    const batch = this.queue.splice(0, this.maxBatchSize)
    this.exporting = this.completeAndSend(batch).finally(() => {
      this.exporting = undefined
      if (this.queue.length >= this.maxBatchSize) this.schedule(0)
      else if (this.queue.length > 0) this.schedule(this.scheduledDelayMillis)
    })
    return this.exporting
  }

  private async completeAndSend(batch: ReadableSpan[]): Promise<void> {
    await completeSpans(batch)
    await this.send(batch)
  }

  private send(batch: ReadableSpan[]): Promise<void> {
    return new Promise((resolve) => {
      let settled = false
      const finish = (result: ExportResult) => {
        if (settled) return
        settled = true
        clearTimeout(timeout)
        if (result.code === ExportResultCode.SUCCESS) {
          this.counts.exportedSpans += batch.length
        } else {
          this.counts.failedSpans += batch.length
          this.warnIfRefused(result.error)
          if (!this.warnedFailure) {
            this.warnedFailure = true
            log.warn(
              `span export failed; spans are counted as lost: ${describeError(result.error)}`,
            )
          }
        }
        resolve()
      }
      const timeout = setTimeout(
        () => finish({ code: ExportResultCode.FAILED, error: new Error('export timed out') }),
        this.exportTimeoutMillis,
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
