import { performance } from 'node:perf_hooks'
import { ExportResultCode, type ExportResult } from '@opentelemetry/core'
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer'
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base'
import { SLICE_MILLIS } from './complete-spans'
import { OtlpHttpSender } from './otlp-http-sender'

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Spans encoded per slice at first; then as many as took about `SLICE_MILLIS` last time. */
const FIRST_SLICE = 8
const MAX_SLICE = 512

/**
 * OTLP/HTTP protobuf export that never holds the event loop for the whole batch: the OTel
 * exporter encodes a batch in one synchronous call (tens of milliseconds for 512 LLM spans with
 * their hash arrays), during which no call of the app's can make progress. Here the batch is
 * encoded in slices of about `SLICE_MILLIS`, yielding between them, and the slices' bytes are
 * concatenated: protobuf appends repeated fields of concatenated messages, so the result is one
 * valid `ExportTraceServiceRequest` (one `ResourceSpans` per slice) and one HTTP request.
 */
export class SlicedOtlpTraceExporter implements SpanExporter {
  readonly #sender: OtlpHttpSender
  readonly #timeoutMillis: number
  #sliceSize = FIRST_SLICE
  /**
   * A batch sent again (the processor retries the same array) is not encoded again: its bytes
   * live as long as the processor keeps the batch.
   */
  readonly #encoded = new WeakMap<readonly ReadableSpan[], Uint8Array>()

  constructor(options: {
    url: string
    headers?: Record<string, string> | undefined
    /** One attempt's limit. @default 10000 */
    timeoutMillis?: number
  }) {
    this.#sender = new OtlpHttpSender(options.url, options.headers)
    this.#timeoutMillis = options.timeoutMillis ?? 10_000
  }

  /**
   * One attempt, no retry: a failure reports an `ExportAttemptError` (status, `Retry-After`,
   * network code) for the caller to decide on.
   */
  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    const cached = this.#encoded.get(spans)
    const bytes = cached ? Promise.resolve(cached) : this.#encode(spans)
    bytes
      .then((encoded) => {
        this.#encoded.set(spans, encoded)
        return this.#sender.send(encoded, this.#timeoutMillis)
      })
      .then(
        () => done({ code: ExportResultCode.SUCCESS }),
        (error: unknown) => done({ code: ExportResultCode.FAILED, error: error as Error }),
      )
  }

  async #encode(spans: readonly ReadableSpan[]): Promise<Uint8Array> {
    const parts: Uint8Array[] = []
    let size = 0
    for (let start = 0; start < spans.length;) {
      const slice = spans.slice(start, start + this.#sliceSize)
      const began = performance.now()
      const bytes = ProtobufTraceSerializer.serializeRequest(slice as ReadableSpan[])
      if (!bytes) throw new Error('the OTLP serializer returned nothing')
      const perSpan = (performance.now() - began) / slice.length
      this.#sliceSize = Math.max(1, Math.min(MAX_SLICE, Math.floor(SLICE_MILLIS / perSpan)))
      parts.push(bytes)
      size += bytes.length
      start += slice.length
      // Also after the last slice: the HTTP request (~0.1 to 0.3 ms to build and write) then
      // starts in a turn of its own instead of lengthening the last slice's.
      await nextTurn()
    }
    const joined = new Uint8Array(size)
    let at = 0
    for (const part of parts) {
      joined.set(part, at)
      at += part.length
    }
    return joined
  }

  shutdown(): Promise<void> {
    return Promise.resolve()
  }

  forceFlush(): Promise<void> {
    return Promise.resolve()
  }
}
