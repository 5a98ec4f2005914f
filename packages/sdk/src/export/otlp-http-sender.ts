import type { Agent, ClientRequest, IncomingMessage, RequestOptions } from 'node:http'
import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import { context } from '@opentelemetry/api'
import { suppressTracing } from '@opentelemetry/core'
import { convertLegacyHttpOptions } from '@opentelemetry/otlp-exporter-base/node-http'
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer'
import { SDK_NAME, SDK_VERSION, log } from '../state'
import { ExportAttemptError, parseRetryAfter } from './retry-policy'

type HttpConfig = ReturnType<typeof convertLegacyHttpOptions>
type RequestFunction = (
  url: URL,
  options: RequestOptions,
  done: (res: IncomingMessage) => void,
) => ClientRequest

/** Enough for any OTLP response; a larger body is cut off, its status still counts. */
const MAX_RESPONSE_BYTES = 64 * 1024

const gzipAsync = promisify(gzip)

/**
 * One POST of an encoded OTLP request, once, with no retry of its own: the batch processor
 * decides whether and when to send again (the OTel exporter's transport retries inside the
 * export timeout and then reports a retryable failure without its status or `Retry-After`).
 * Configuration (URL, headers from OTEL_EXPORTER_OTLP_(TRACES_)HEADERS, gzip from
 * OTEL_EXPORTER_OTLP_(TRACES_)COMPRESSION, keep-alive agent) is OTel's own.
 */
export class OtlpHttpSender {
  readonly #config: HttpConfig
  #transport: Promise<{ request: RequestFunction; agent: Agent }> | undefined
  #warnedPartial = false

  constructor(url: string, headers: Record<string, string> | undefined) {
    this.#config = convertLegacyHttpOptions(
      { url, ...(headers ? { headers } : {}) },
      'TRACES',
      'v1/traces',
      { 'Content-Type': 'application/x-protobuf' },
    )
  }

  /** Resolves once the collector answered 2xx; rejects with an `ExportAttemptError` otherwise. */
  async send(bytes: Uint8Array, timeoutMillis: number): Promise<void> {
    const { request, agent } = await this.#loadTransport()
    const headers: Record<string, string> = {
      ...(await this.#config.headers()),
      'User-Agent': `${SDK_NAME}/${SDK_VERSION}`,
    }
    let body = bytes
    if (this.#config.compression === 'gzip') {
      body = await gzipAsync(bytes)
      headers['Content-Encoding'] = 'gzip'
    }
    const response = await context.with(suppressTracing(context.active()), () =>
      post(
        request,
        new URL(this.#config.url),
        { method: 'POST', headers, agent },
        body,
        timeoutMillis,
      ),
    )
    this.#warnIfPartial(response)
  }

  /**
   * http / https are loaded on first use, as OTel's transport does, so that loading the SDK does
   * not load them before an app's own http instrumentation patches them.
   */
  #loadTransport(): Promise<{ request: RequestFunction; agent: Agent }> {
    this.#transport ??= (async () => {
      const protocol = new URL(this.#config.url).protocol
      const [module, agent] = await Promise.all([
        protocol === 'http:' ? import('node:http') : import('node:https'),
        this.#config.agentFactory(protocol),
      ])
      return { request: module.request as RequestFunction, agent: agent as Agent }
    })()
    return this.#transport
  }

  #warnIfPartial(body: Uint8Array): void {
    if (this.#warnedPartial || body.length === 0) return
    try {
      const rejected = Number(
        ProtobufTraceSerializer.deserializeResponse(body).partialSuccess?.rejectedSpans ?? 0,
      )
      if (rejected > 0) {
        this.#warnedPartial = true
        log.warn(`the collector stored a batch but rejected ${rejected} of its spans`)
      }
    } catch {
      // A 2xx whose body is not an OTLP response: the spans were accepted all the same.
    }
  }
}

function post(
  request: RequestFunction,
  url: URL,
  options: RequestOptions,
  body: Uint8Array,
  timeoutMillis: number,
): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      const chunks: Buffer[] = []
      let size = 0
      const settle = () => {
        clearTimeout(timer)
        const status = res.statusCode ?? 0
        if (status >= 200 && status < 300) return resolve(Buffer.concat(chunks))
        const header = res.headers['retry-after']
        reject(
          new ExportAttemptError(
            `the collector answered HTTP ${status}`,
            status,
            parseRetryAfter(Array.isArray(header) ? header[0] : header, Date.now()),
            undefined,
          ),
        )
      }
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk)
      })
      res.on('end', settle)
      // The status arrived; a body cut short changes nothing about what it says.
      res.on('error', settle)
    })
    const timer = setTimeout(() => {
      req.destroy(new ExportAttemptError('export timed out', undefined, undefined, 'ETIMEDOUT'))
    }, timeoutMillis)
    timer.unref()
    req.on('error', (error: Error & { code?: unknown }) => {
      clearTimeout(timer)
      if (error instanceof ExportAttemptError) return reject(error)
      const code = typeof error.code === 'string' ? error.code : undefined
      reject(new ExportAttemptError(error.message, undefined, undefined, code))
    })
    req.end(body)
  })
}
