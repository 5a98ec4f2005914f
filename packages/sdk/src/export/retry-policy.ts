/**
 * Which failed exports are worth sending again, and when. The collector deduplicates a span
 * delivered twice (same project, trace id and span id), so sending a batch again whose first
 * answer was lost is safe: delivery is at least once.
 */

/** Network errors that say the collector is down or restarting, not that the batch is bad. */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
])

/** Statuses that mean "not now": the collector is overloaded, restarting or behind a proxy. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504])

/** Backoff of the first retry, doubled after each failed attempt up to `MAX_BACKOFF_MILLIS`. */
export const FIRST_BACKOFF_MILLIS = 500
export const MAX_BACKOFF_MILLIS = 10_000
/** A `Retry-After` longer than this is cut to it: the batch would expire while waiting. */
export const MAX_RETRY_AFTER_MILLIS = 30_000

/** What to do with a batch whose export failed. */
export type FailureVerdict =
  | { kind: 'retry'; retryAfterMillis: number | undefined }
  /** The collector answered 4xx (other than 429): the same bytes would be refused again. */
  | { kind: 'rejected'; status: number }
  /** Neither: a 500, a 501, a batch that cannot be encoded, an unknown error. */
  | { kind: 'failed' }

/**
 * The failure of one export attempt, as the SDK's exporter reports it: the HTTP status if the
 * collector answered, and its `Retry-After` already turned into milliseconds.
 */
export class ExportAttemptError extends Error {
  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryAfterMillis: number | undefined,
    readonly networkCode: string | undefined,
  ) {
    super(message)
    this.name = 'ExportAttemptError'
  }
}

/** The error an export attempt is given up with when it outlives its timeout. */
export class ExportTimeoutError extends Error {
  constructor() {
    super('export timed out')
    this.name = 'ExportTimeoutError'
  }
}

/**
 * Sorts an export failure. Besides our own exporter's errors it reads what other OTLP exporters
 * report: an `OTLPExporterError`'s numeric `code` (the status) and Node's string `code` on
 * network errors.
 */
export function classifyFailure(error: unknown): FailureVerdict {
  if (error instanceof ExportTimeoutError) return { kind: 'retry', retryAfterMillis: undefined }
  const status =
    error instanceof ExportAttemptError
      ? error.status
      : numeric((error as { code?: unknown })?.code)
  const network =
    error instanceof ExportAttemptError
      ? error.networkCode
      : text((error as { code?: unknown })?.code)
  if (status !== undefined) {
    if (RETRYABLE_STATUSES.has(status)) {
      const after = error instanceof ExportAttemptError ? error.retryAfterMillis : undefined
      return { kind: 'retry', retryAfterMillis: after }
    }
    if (status >= 400 && status < 500) return { kind: 'rejected', status }
    return { kind: 'failed' }
  }
  if (network !== undefined && RETRYABLE_NETWORK_CODES.has(network)) {
    return { kind: 'retry', retryAfterMillis: undefined }
  }
  return { kind: 'failed' }
}

/**
 * `Retry-After` in milliseconds from `now`: delay-seconds or an HTTP date (RFC 9110 10.2.3), at
 * most `MAX_RETRY_AFTER_MILLIS`. A date in the past is 0; anything else malformed is undefined
 * (the backoff applies).
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  const trimmed = value?.trim()
  if (!trimmed) return undefined
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, MAX_RETRY_AFTER_MILLIS)
  // An HTTP date names its day and month; Date.parse would also take "-5" or "1.5" as years.
  const at = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN
  if (Number.isNaN(at)) return undefined
  return Math.min(Math.max(at - now, 0), MAX_RETRY_AFTER_MILLIS)
}

/**
 * How long to wait before the attempt after `failures` consecutive failed ones (1 for the first
 * retry): exponential, capped, with "equal jitter" (half fixed, half random) so that many
 * processes that lost the same collector do not all come back at the same instant.
 * `random` returns a number in [0, 1).
 */
export function backoffMillis(failures: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30)
  const ceiling = Math.min(FIRST_BACKOFF_MILLIS * 2 ** exponent, MAX_BACKOFF_MILLIS)
  return Math.round(ceiling / 2 + random() * (ceiling / 2))
}

function numeric(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}
