import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync, gzipSync } from 'node:zlib'
import { Session } from 'chdb'
import { shimError, toShimError, type ShimError } from './errors'
import {
  explicitFormat,
  parseShimRequest,
  prologue,
  ShimRequestError,
  sqlString,
  type ShimRequest,
} from './request'

/**
 * A loopback stand-in for a ClickHouse server: the ClickHouse HTTP interface, as far as
 * `@clickhouse/client` uses it, executed on the embedded engine (chDB) of this process. It is a
 * shim, not a server: one engine, one request at a time, no replication or clusters, and only the
 * protocol subset below. What it gives the tests is the collector's server path (HTTP, URL
 * settings, `param_*` binding, server errors, many processes on one store) with the real
 * ClickHouse SQL engine behind it.
 *
 * Supported: `GET /ping` and `GET /` ("Ok."); `POST /` with the query in the body or in `query`
 * (then the body is the data, as for inserts); `database`, `query_id`, `default_format`, any
 * setting as a URL parameter; `param_*` query parameters; Basic auth or the `X-ClickHouse-User` /
 * `X-ClickHouse-Key` headers; gzip request bodies and (with `enable_http_compression=1`) gzip
 * responses; the `X-ClickHouse-*` response headers; errors with their exception codes.
 */
export interface ClickHouseShim {
  url: string
  /** The engine's `version()`, as a server would report it. */
  version: string
  /** The last requests (newest last), for tests that check what a client sent. */
  log: ShimLogEntry[]
  close(): Promise<void>
}

export interface ShimLogEntry {
  sql: string
  settings: Record<string, string>
  status: number
}

export interface ClickHouseShimOptions {
  /** The engine's data directory (created if missing). */
  path: string
  /** Accepted users and passwords; default: `default` with an empty password. */
  users?: Record<string, string>
  port?: number
}

const LOG_LIMIT = 2000

/**
 * Server defaults that differ from the embedded engine's (which has clickhouse-local's): a
 * server quotes 64-bit integers in JSON formats, so clients must not rely on getting numbers.
 */
const SERVER_DEFAULTS: Record<string, string> = {
  output_format_json_quote_64bit_integers: '1',
}

export async function startClickHouseShim(options: ClickHouseShimOptions): Promise<ClickHouseShim> {
  fs.mkdirSync(options.path, { recursive: true })
  const session = new Session(options.path)
  const version = (await session.queryAsync('SELECT version()', { format: 'TabSeparated' }))
    .text()
    .trim()
  const setDefaults = Object.entries(SERVER_DEFAULTS).map(
    ([name, value]) => `SET ${name} = ${sqlString(value)}`,
  )
  await session.queryAsync(setDefaults.join(';\n'), { format: 'TabSeparated' })
  const users = options.users ?? { default: '' }
  const log: ShimLogEntry[] = []
  // Settings and parameters are SET on the engine's session for the length of one request, so
  // requests run one after another and every request undoes its settings before the next.
  let chain: Promise<unknown> = Promise.resolve()
  const serialized = <T>(work: () => Promise<T>): Promise<T> => {
    const next = chain.then(work, work)
    chain = next.catch(() => undefined)
    return next
  }

  const execute = async (request: ShimRequest) => {
    const format = explicitFormat(request.sql) ?? request.defaultFormat
    const sql = [...prologue(request), request.sql].join(';\n')
    const startedAt = process.hrtime.bigint()
    try {
      const result = await session.queryAsync(sql, { format })
      return { body: Buffer.from(result.bytes()), format, result, startedAt }
    } finally {
      const undo = [
        ...Object.keys(request.settings).map((name) =>
          name in SERVER_DEFAULTS
            ? `SET ${name} = ${sqlString(SERVER_DEFAULTS[name]!)}`
            : `SET ${name} = DEFAULT`,
        ),
        ...(request.database ? ['USE default'] : []),
      ]
      if (undo.length > 0) await session.queryAsync(undo.join(';\n'), { format: 'TabSeparated' })
    }
  }

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, toShimError(err, version))
      else res.destroy()
    })
  })

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://shim')
    const raw = await readBody(req)
    if (url.pathname === '/ping' || (req.method === 'GET' && !url.searchParams.has('query'))) {
      res.writeHead(200, { 'content-type': 'text/html; charset=UTF-8' }).end('Ok.\n')
      return
    }
    if (url.pathname !== '/') {
      sendError(res, shimError(1001, 'STD_EXCEPTION', `No handler for ${url.pathname}`, version))
      return
    }
    const user = authenticate(req, url, users)
    if (!user) {
      sendError(
        res,
        shimError(
          516,
          'AUTHENTICATION_FAILED',
          'Authentication failed: password is incorrect, or there is no user with such name',
          version,
        ),
      )
      return
    }

    let request: ShimRequest
    try {
      const encoding = (req.headers['content-encoding'] ?? '').toLowerCase()
      const body = (encoding === 'gzip' ? gunzipSync(raw) : raw).toString('utf8')
      request = parseShimRequest(url, body)
    } catch (err) {
      const error =
        err instanceof ShimRequestError
          ? shimError(err.code, err.type, err.message, version)
          : shimError(354, 'CANNOT_DECOMPRESS', 'Cannot decompress the request body', version)
      sendError(res, error)
      return
    }

    const queryId = request.queryId ?? crypto.randomUUID()
    try {
      const { body, format, result, startedAt } = await serialized(() => execute(request))
      remember(log, { sql: request.sql, settings: request.settings, status: 200 })
      const written = writtenRows(request.sql)
      const headers: Record<string, string> = {
        'content-type': contentTypeOf(format),
        'x-clickhouse-query-id': queryId,
        'x-clickhouse-format': format,
        'x-clickhouse-timezone': 'UTC',
        'x-clickhouse-server-display-name': 'agentmeter-clickhouse-shim',
        'x-clickhouse-summary': JSON.stringify({
          read_rows: String(written > 0 ? 0 : result.rowsRead),
          read_bytes: String(written > 0 ? 0 : result.bytesRead),
          written_rows: String(written),
          written_bytes: String(written > 0 ? Buffer.byteLength(request.sql) : 0),
          total_rows_to_read: '0',
          result_rows: '0',
          result_bytes: String(body.byteLength),
          elapsed_ns: String(process.hrtime.bigint() - startedAt),
        }),
      }
      const gzip = request.compressResponse && /gzip/.test(req.headers['accept-encoding'] ?? '')
      if (gzip) headers['content-encoding'] = 'gzip'
      res.writeHead(200, headers).end(gzip ? gzipSync(body) : body)
    } catch (err) {
      const error = toShimError(err, version)
      remember(log, { sql: request.sql, settings: request.settings, status: error.status })
      res.setHeader('x-clickhouse-query-id', queryId)
      sendError(res, error)
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    version,
    log,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await chain
      session.close()
    },
  }
}

function sendError(res: http.ServerResponse, error: ShimError) {
  res
    .writeHead(error.status, {
      'content-type': 'text/plain; charset=UTF-8',
      'x-clickhouse-exception-code': String(error.code),
    })
    .end(error.body)
}

function authenticate(
  req: http.IncomingMessage,
  url: URL,
  users: Record<string, string>,
): string | null {
  let user = url.searchParams.get('user') ?? undefined
  let password = url.searchParams.get('password') ?? ''
  const header = req.headers['x-clickhouse-user']
  if (typeof header === 'string') {
    user = header
    password = String(req.headers['x-clickhouse-key'] ?? '')
  }
  const basic = /^Basic (.+)$/i.exec(req.headers.authorization ?? '')?.[1]
  if (basic) {
    const decoded = Buffer.from(basic, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    user = colon < 0 ? decoded : decoded.slice(0, colon)
    password = colon < 0 ? '' : decoded.slice(colon + 1)
  }
  user ??= 'default'
  return Object.hasOwn(users, user) && users[user] === password ? user : null
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function contentTypeOf(format: string): string {
  if (/^JSON/i.test(format)) return 'application/json; charset=UTF-8'
  if (/^CSV/i.test(format)) return 'text/csv; charset=UTF-8'
  return 'text/tab-separated-values; charset=UTF-8'
}

/** Rows of an `INSERT ... FORMAT JSONEachRow` body: one per non-empty line after the first. */
function writtenRows(sql: string): number {
  if (!/^\s*INSERT\b[^\n]*\bFORMAT\s+JSONEachRow\s*\n/i.test(sql)) return 0
  return sql
    .split('\n')
    .slice(1)
    .filter((line) => line.trim() !== '').length
}

function remember(log: ShimLogEntry[], entry: ShimLogEntry) {
  log.push({ ...entry, sql: entry.sql.slice(0, 500) })
  if (log.length > LOG_LIMIT) log.splice(0, log.length - LOG_LIMIT)
}
