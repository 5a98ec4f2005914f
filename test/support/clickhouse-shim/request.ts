/**
 * How one request of the ClickHouse HTTP interface becomes SQL for the embedded engine: the
 * query (URL `query`, body, or both joined by a newline, as the server does it), the settings
 * (every URL parameter that is not part of the protocol), the `param_*` query parameters, and
 * the output format. Only the subset that `@clickhouse/client` sends is understood.
 */
export interface ShimRequest {
  sql: string
  settings: Record<string, string>
  params: Record<string, string>
  database: string | undefined
  queryId: string | undefined
  /** `default_format`, or TabSeparated as on the server. */
  defaultFormat: string
  /** The client asked for a compressed response (`enable_http_compression=1`). */
  compressResponse: boolean
}

/** URL parameters of the protocol itself, never applied as settings. */
const PROTOCOL_PARAMS = new Set([
  'query',
  'database',
  'query_id',
  'session_id',
  'session_timeout',
  'session_check',
  'role',
  'user',
  'password',
  'default_format',
  'compress',
  'decompress',
])

/** Settings that shape the HTTP exchange; the shim honours them itself instead of SETting them. */
const HTTP_ONLY_SETTINGS = new Set([
  'enable_http_compression',
  'wait_end_of_query',
  'send_progress_in_http_headers',
  'http_headers_progress_interval_ms',
  'http_response_buffer_size',
  'http_zlib_compression_level',
])

const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

export class ShimRequestError extends Error {
  constructor(
    readonly code: number,
    readonly type: string,
    message: string,
  ) {
    super(message)
  }
}

export function parseShimRequest(url: URL, body: string): ShimRequest {
  const urlQuery = url.searchParams.get('query')
  const sql = urlQuery === null ? body : body.length > 0 ? `${urlQuery}\n${body}` : urlQuery
  if (sql.trim() === '') throw new ShimRequestError(62, 'SYNTAX_ERROR', 'Empty query')

  const settings: Record<string, string> = {}
  const params: Record<string, string> = {}
  for (const [name, value] of url.searchParams) {
    if (name.startsWith('param_')) {
      const param = name.slice('param_'.length)
      if (!SETTING_NAME.test(param)) {
        throw new ShimRequestError(
          36,
          'BAD_ARGUMENTS',
          `Invalid query parameter name ${JSON.stringify(param)}`,
        )
      }
      params[param] = value
      continue
    }
    if (PROTOCOL_PARAMS.has(name) || HTTP_ONLY_SETTINGS.has(name)) continue
    if (!SETTING_NAME.test(name)) {
      throw new ShimRequestError(115, 'UNKNOWN_SETTING', `Unknown setting ${JSON.stringify(name)}`)
    }
    settings[name] = value
  }

  const database = url.searchParams.get('database') ?? undefined
  if (database !== undefined && !SETTING_NAME.test(database)) {
    throw new ShimRequestError(81, 'UNKNOWN_DATABASE', `Database ${database} does not exist`)
  }
  return {
    sql,
    settings,
    params,
    database,
    queryId: url.searchParams.get('query_id') ?? undefined,
    defaultFormat: url.searchParams.get('default_format') ?? 'TabSeparated',
    compressResponse: url.searchParams.get('enable_http_compression') === '1',
  }
}

/** A ClickHouse string literal (backslash escapes, as the server's lexer reads them). */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

/**
 * The statements that put a request's settings and parameters in force. Parameters go through
 * `SET param_x = '<text>'`, so the engine itself parses each value from the text the client
 * sent, exactly as the server does with `param_x` in the URL.
 */
export function prologue(request: ShimRequest): string[] {
  return [
    ...(request.database ? [`USE ${request.database}`] : []),
    ...Object.entries(request.settings).map(([name, value]) => `SET ${name} = ${sqlString(value)}`),
    ...Object.entries(request.params).map(
      ([name, value]) => `SET param_${name} = ${sqlString(value)}`,
    ),
  ]
}

/** The output format a query names in its FORMAT clause, if any. */
export function explicitFormat(sql: string): string | undefined {
  const head = /^\s*INSERT\b/i.test(sql) ? '' : sql
  return /\bFORMAT\s+(\w+)\s*;?\s*$/i.exec(head)?.[1]
}
