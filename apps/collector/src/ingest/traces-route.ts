import { Hono } from 'hono'
import { requireScope, type AuthVariables } from '../auth/authenticate'
import type { SessionStore } from '../auth/sessions'
import { HttpError } from '../errors'
import type { Logger } from '../logger'
import type { Metrics } from '../metrics'
import type { PriceBookStore } from '../store/price-book-store'
import type { ProjectStore } from '../store/projects'
import type { SpanWriter } from '../store/span-writer'
import { describeRejects, normalizeBatch } from './ingest-spans'
import {
  decodeTraceRequest,
  decompressBody,
  encodeExportResponse,
  encodeStatus,
  OtlpDecodeError,
} from './otlp'

export interface TracesRouteDeps {
  projects: ProjectStore
  sessions: SessionStore
  writer: SpanWriter
  priceBooks: PriceBookStore
  logger: Logger
  metrics: Metrics
  maxBodyBytes: number
}

type Format = 'protobuf' | 'json'

/** `POST /v1/traces`: OTLP/HTTP ingest, answered in the format the request came in. */
export function createTracesRoute(deps: TracesRouteDeps) {
  const route = new Hono<{ Variables: AuthVariables }>()
  const requireIngest = requireScope('ingest', deps.projects, deps.sessions)

  route.post('/v1/traces', async (c) => {
    const contentType = c.req.header('content-type') ?? ''
    // Errors are answered in the request's format; an unsupported type gets JSON.
    const format: Format = /protobuf/i.test(contentType) ? 'protobuf' : 'json'
    const reply = (status: number, message: string) => {
      deps.metrics.inc('agentmeter_ingest_requests_total', 'OTLP export requests by status', {
        status: String(status),
      })
      return c.body(toBody(encodeStatus(format, message)), status as 400, {
        'content-type': mime(format),
      })
    }

    try {
      // Authentication runs inside the handler, not as middleware, so that its failures are
      // answered as OTLP Status bodies in the request's own format like every other error here.
      await requireIngest(c, async () => {})
      const declared = Number(c.req.header('content-length') ?? '0')
      if (declared > deps.maxBodyBytes) {
        throw new HttpError(
          413,
          `request body of ${declared} bytes exceeds the limit of ${deps.maxBodyBytes} bytes`,
        )
      }
      const raw = new Uint8Array(await c.req.arrayBuffer())
      if (raw.byteLength > deps.maxBodyBytes) {
        throw new HttpError(
          413,
          `request body of ${raw.byteLength} bytes exceeds the limit of ${deps.maxBodyBytes} bytes`,
        )
      }
      const body = decompressBody(raw, c.req.header('content-encoding'), deps.maxBodyBytes)
      const decoded = decodeTraceRequest(body, contentType)
      const projectId = c.get('identity').project.id
      let priceBook
      try {
        priceBook = await deps.priceBooks.book(projectId)
      } catch {
        // Pricing without the project's own prices would store wrong costs: not accepted.
        c.header('retry-after', '5')
        return reply(503, 'storage is unavailable; the spans were not stored, retry later')
      }
      const { records, rejected } = normalizeBatch(decoded, projectId, priceBook)

      try {
        await deps.writer.write(records)
      } catch {
        // Not durable, so not acknowledged: OTLP clients retry a 503 after Retry-After.
        c.header('retry-after', '5')
        return reply(503, 'storage is unavailable; the spans were not stored, retry later')
      }

      deps.metrics.inc('agentmeter_ingest_requests_total', 'OTLP export requests by status', {
        status: '200',
      })
      deps.metrics.inc('agentmeter_spans_accepted_total', 'Spans stored', {}, records.length)
      if (rejected.length > 0) {
        deps.metrics.inc('agentmeter_spans_rejected_total', 'Spans rejected', {}, rejected.length)
        deps.logger.warn({
          module: 'ingest',
          message: 'spans rejected',
          args: { project: projectId, rejected: rejected.length, accepted: records.length },
        })
      }
      const partial =
        rejected.length > 0
          ? { rejectedSpans: rejected.length, errorMessage: describeRejects(rejected) }
          : undefined
      return c.body(toBody(encodeExportResponse(format, partial)), 200, {
        'content-type': mime(format),
      })
    } catch (err) {
      if (err instanceof HttpError) return reply(err.status, err.message)
      if (err instanceof OtlpDecodeError) return reply(err.status, err.message)
      throw err
    }
  })

  return route
}

function mime(format: Format): string {
  return format === 'protobuf' ? 'application/x-protobuf' : 'application/json'
}

function toBody(body: Uint8Array | string): string | ArrayBuffer {
  if (typeof body === 'string') return body
  return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer
}
