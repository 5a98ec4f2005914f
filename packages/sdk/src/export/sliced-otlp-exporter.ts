import { performance } from 'node:perf_hooks'
import type { ExportResult } from '@opentelemetry/core'
import { OTLPExporterBase } from '@opentelemetry/otlp-exporter-base'
import {
  convertLegacyHttpOptions,
  createOtlpHttpExportDelegate,
} from '@opentelemetry/otlp-exporter-base/node-http'
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer'
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base'
import { SLICE_MILLIS } from './complete-spans'

/** A batch already encoded as one OTLP protobuf request, and how many spans it holds. */
interface EncodedBatch {
  bytes: Uint8Array
  spans: number
}

/** The OTel OTLP/HTTP protobuf exporter's transport (retries, timeouts, headers), fed bytes. */
class EncodedTraceExporter extends OTLPExporterBase<EncodedBatch> {
  constructor(url: string, headers: Record<string, string> | undefined) {
    super(
      createOtlpHttpExportDelegate(
        convertLegacyHttpOptions({ url, ...(headers ? { headers } : {}) }, 'TRACES', 'v1/traces', {
          'Content-Type': 'application/x-protobuf',
        }),
        {
          serializeRequest: (batch) => batch.bytes,
          deserializeResponse: (data) => ProtobufTraceSerializer.deserializeResponse(data),
        },
        'otlp_http_span_exporter',
        { name: 'span', countItems: (batch) => batch.spans },
        undefined,
      ),
    )
  }
}

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
  readonly #inner: EncodedTraceExporter
  #sliceSize = FIRST_SLICE

  constructor(options: { url: string; headers?: Record<string, string> | undefined }) {
    this.#inner = new EncodedTraceExporter(options.url, options.headers)
  }

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    this.#encode(spans).then(
      (batch) => this.#inner.export(batch, done),
      (error: unknown) => done({ code: 1, error: error as Error }),
    )
  }

  async #encode(spans: readonly ReadableSpan[]): Promise<EncodedBatch> {
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
    return { bytes: joined, spans: spans.length }
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown()
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush()
  }
}
