import type { DecodedTraceRequest } from '@agentmeter/core'
import { Hono } from 'hono'
import { requireScope, type AuthVariables } from '../auth/authenticate'
import type { SessionStore } from '../auth/sessions'
import { HttpError } from '../errors'
import type { Logger } from '../logger'
import {
  INGEST_REJECT_REASONS,
  INGEST_REJECTS,
  INGEST_REQUESTS,
  INGEST_SHED,
  SPANS_ACCEPTED,
  SPANS_REJECTED,
} from '../metric-catalog'
import type { Metrics } from '../metrics'
import type { PriceBookStore } from '../store/price-book-store'
import type { ProjectSettingsStore } from '../store/project-settings-store'
import type { ProjectStore } from '../store/projects'
import type { SpanRecord } from '../store/span-record'
import { SpoolFullError, type AckPath, type SpanSink } from '../store/spool/durable-writer'
import { describeRejects, normalizeBatch } from './ingest-spans'
import { OVERLOAD_RETRY_AFTER_SECONDS, type IngestAdmission } from './admission'
import type { IngestLimits } from './limits'
import type { RateLimiter } from './rate-limiter'
import { maxCompressedBytes, readBodyWithin } from './read-body'
import {
  decodeTraceRequest,
  decompressBody,
  detectFormat,
  encodeExportResponse,
  encodeStatus,
  OtlpDecodeError,
} from './otlp'

export interface TracesRouteDeps {
  projects: ProjectStore
  sessions: SessionStore
  /** Durable storage of the rows: ClickHouse, or the local spool when it is unavailable. */
  writer: SpanSink
  priceBooks: PriceBookStore
  /** Whether the project captures content, and its redaction. */
  settings: ProjectSettingsStore
  logger: Logger
  metrics: Metrics
  maxBodyBytes: number
  limits: IngestLimits
  rateLimiter: RateLimiter
  /** Load shedding: without it every request is admitted. */
  admission?: IngestAdmission
  /**
   * Told the project and rows of every batch ClickHouse acknowledged (alerts); must return at
   * once. Spooled and write-ahead batches are told by the durable writer, once inserted.
   */
  alerts?: { spansStored(projectId: string, records: SpanRecord[]): void }
}

type Format = 'protobuf' | 'json'

/** `POST /v1/traces`: OTLP/HTTP ingest, answered in the format the request came in. */
export function createTracesRoute(deps: TracesRouteDeps) {
  const route = new Hono<{ Variables: AuthVariables & { requestId?: string } }>()
  const requireIngest = requireScope('ingest', deps.projects, deps.sessions)

  route.post('/v1/traces', async (c) => {
    const contentType = c.req.header('content-type') ?? ''
    // Errors are answered in the request's format; an unsupported type gets JSON.
    const format: Format = /protobuf/i.test(contentType) ? 'protobuf' : 'json'
    const reply = (status: number, message: string) => {
      deps.metrics.inc(INGEST_REQUESTS, { status: String(status) })
      deps.metrics.inc(INGEST_REJECTS, {
        reason: INGEST_REJECT_REASONS[status] ?? `status_${status}`,
      })
      return c.body(toBody(encodeStatus(format, message)), status as 400, {
        'content-type': mime(format),
      })
    }

    // OTLP clients retry a 503 after Retry-After; nothing of the request was stored.
    const unavailable = () => {
      c.header('retry-after', '5')
      return reply(503, 'storage is unavailable; the spans were not stored, retry later')
    }

    let release: (() => void) | null = null
    try {
      // Authentication runs inside the handler, not as middleware, so that its failures are
      // answered as OTLP Status bodies in the request's own format like every other error here.
      try {
        await requireIngest(c, async () => {})
      } catch (err) {
        // A key never seen before cannot be checked while the store is down: retry later.
        if (err instanceof HttpError) throw err
        return unavailable()
      }
      // 415 before a byte of the body is read.
      detectFormat(contentType)
      if (deps.admission) {
        release = deps.admission.tryAdmit()
        if (!release) {
          deps.metrics.inc(INGEST_SHED)
          c.header('retry-after', String(OVERLOAD_RETRY_AFTER_SECONDS))
          // Its body was not read: as with a 413, the connection is not reused.
          c.header('connection', 'close')
          return reply(503, 'the collector is overloaded; the spans were not stored, retry later')
        }
      }
      const encoding = c.req.header('content-encoding')
      // The cap applies to the decompressed body (OTLP/HTTP); a compressed upload may be a
      // little larger than the cap and still inflate to less.
      const compressed = !['', 'identity'].includes((encoding ?? '').trim().toLowerCase())
      const raw = await readBodyWithin(
        c.req.raw,
        compressed ? maxCompressedBytes(deps.maxBodyBytes) : deps.maxBodyBytes,
      )
      const body = decompressBody(raw, encoding, deps.maxBodyBytes)
      // A zero-length body is an export of nothing (the protobuf encoding of an empty request);
      // it is accepted in both encodings rather than refused as unparsable JSON.
      const decoded: DecodedTraceRequest =
        body.byteLength === 0 ? { spans: [], rejected: [] } : decodeTraceRequest(body, contentType)
      const spanCount = decoded.spans.length + decoded.rejected.length
      if (spanCount > deps.limits.maxSpansPerRequest) {
        throw new HttpError(
          413,
          `request holds ${spanCount} spans; the limit is ${deps.limits.maxSpansPerRequest} per request (AGENTMETER_MAX_SPANS_PER_REQUEST); send smaller batches`,
        )
      }
      const identity = c.get('identity')
      const waitSeconds = deps.rateLimiter.take(identity.prefix, spanCount)
      if (waitSeconds > 0) {
        c.header('retry-after', String(waitSeconds))
        return reply(
          429,
          `this key sent more spans than its rate limit allows; retry after ${waitSeconds} s`,
        )
      }
      const projectId = identity.project.id
      let priceBook, policy
      try {
        priceBook = await deps.priceBooks.book(projectId)
        policy = await deps.settings.policy(projectId)
      } catch {
        // Pricing without the project's own prices would store wrong costs, and content without
        // the project's choice and redaction could store what it never agreed to: not accepted.
        return unavailable()
      }
      const { records, rejected, rejectCauses } = normalizeBatch(
        decoded,
        projectId,
        priceBook,
        deps.limits,
        policy,
      )

      let outcome: AckPath
      try {
        outcome = await deps.writer.write(records, identity.prefix)
      } catch (err) {
        // Neither in ClickHouse nor in the spool: not durable, so not acknowledged.
        if (!(err instanceof SpoolFullError)) {
          // An operator must learn why every request gets 503 (say the disk turned read-only);
          // only the error's code and system call are logged, never a path or a value.
          const { code, syscall } = err as { code?: unknown; syscall?: unknown }
          deps.logger.error({
            module: 'ingest',
            message: 'the batch could be neither inserted nor spooled; answered 503',
            args: {
              requestId: c.get('requestId'),
              spans: records.length,
              code: String(code ?? 'unknown'),
              ...(typeof syscall === 'string' ? { syscall } : {}),
            },
          })
          return unavailable()
        }
        c.header('retry-after', String(err.retryAfterSeconds))
        return reply(err.status, err.message)
      }

      // Durable now: task alerts are queued, and checked off the ack path.
      if (outcome === 'stored') deps.alerts?.spansStored(projectId, records)
      deps.metrics.inc(INGEST_REQUESTS, { status: '200' })
      deps.metrics.inc(SPANS_ACCEPTED, {}, records.length)
      if (rejected.length > 0) {
        for (const [reason, count] of Object.entries(rejectCauses)) {
          if (count === 0) continue
          deps.metrics.inc(SPANS_REJECTED, { reason }, count)
        }
        deps.logger.warn({
          module: 'ingest',
          message: 'spans rejected',
          args: {
            requestId: c.get('requestId'),
            project: projectId,
            rejected: rejected.length,
            accepted: records.length,
            causes: rejectCauses,
          },
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
      if (err instanceof HttpError) {
        // A body refused before it was read to its end leaves the connection unusable.
        if (err.status === 413) c.header('connection', 'close')
        return reply(err.status, err.message)
      }
      if (err instanceof OtlpDecodeError) return reply(err.status, err.message)
      throw err
    } finally {
      release?.()
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
