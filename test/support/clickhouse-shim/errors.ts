/**
 * Errors as the ClickHouse server answers them over HTTP: a status from the exception code, the
 * `X-ClickHouse-Exception-Code` header, and a body `Code: N. DB::Exception: <message>. (TYPE)
 * (version V)` that `@clickhouse/client` parses into a `ClickHouseError`.
 */
export interface ShimError {
  status: number
  code: number
  body: string
}

/** The HTTP status the server gives some exception codes; every other code is a 500. */
const STATUS_BY_CODE: Record<number, number> = {
  6: 400, // CANNOT_PARSE_TEXT
  27: 400, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  36: 400, // BAD_ARGUMENTS
  46: 400, // UNKNOWN_FUNCTION
  47: 400, // UNKNOWN_IDENTIFIER
  53: 400, // TYPE_MISMATCH
  60: 404, // UNKNOWN_TABLE
  62: 400, // SYNTAX_ERROR
  81: 404, // UNKNOWN_DATABASE
  115: 400, // UNKNOWN_SETTING
  117: 400, // INCORRECT_DATA
  194: 401, // REQUIRED_PASSWORD
  516: 403, // AUTHENTICATION_FAILED
}

const CLICKHOUSE_MESSAGE = /^Code: (\d+)\. DB::Exception: ([\s\S]*?)\s*$/

export function toShimError(err: unknown, version: string): ShimError {
  const text = err instanceof Error ? err.message : String(err)
  const match = CLICKHOUSE_MESSAGE.exec(text)
  const code = match ? Number(match[1]) : 1001 // STD_EXCEPTION, as the server reports them
  const message = match ? match[2]! : `std::exception: ${text} (STD_EXCEPTION)`
  return {
    status: STATUS_BY_CODE[code] ?? 500,
    code,
    body: `Code: ${code}. DB::Exception: ${message} (version ${version})\n`,
  }
}

export function shimError(code: number, type: string, message: string, version: string) {
  return toShimError(new Error(`Code: ${code}. DB::Exception: ${message}. (${type})`), version)
}
