import { HttpError } from '../../errors'

export interface TimeRange {
  /** DateTime64 literals in UTC, for `{from:DateTime64(9, 'UTC')}` parameters. */
  from: string
  to: string
}

const DEFAULT_RANGE_MILLIS = 7 * 24 * 60 * 60 * 1000

/**
 * The instants a `DateTime64(9, 'UTC')` holds: nanoseconds in an Int64 end at 2262-04-11
 * 23:47:16.854775807, and ClickHouse's DateTime64 starts at 1900. Outside them ClickHouse
 * refuses the parameter (DECIMAL_OVERFLOW) or reads it as another instant, so a time the API
 * reads must be inside (milliseconds: the API's precision).
 */
export const MIN_INSTANT = new Date('1900-01-01T00:00:00.000Z')
export const MAX_INSTANT = new Date('2262-04-11T23:47:16.854Z')
const ACCEPTED = `from ${MIN_INSTANT.toISOString()} to ${MAX_INSTANT.toISOString()}`

/**
 * Parses the `from` / `to` query parameters (ISO 8601). Every query is bounded by a time range:
 * absent bounds default to the last 7 days, and a reversed range is refused.
 */
export function parseTimeRange(
  from: string | undefined,
  to: string | undefined,
  now = new Date(),
): TimeRange {
  const end = to ? parseInstant('to', to) : now
  // A default start before the earliest instant (a `to` in 1900's first week) starts there.
  const start = from
    ? parseInstant('from', from)
    : new Date(Math.max(end.getTime() - DEFAULT_RANGE_MILLIS, MIN_INSTANT.getTime()))
  if (start.getTime() > end.getTime()) {
    throw new HttpError(400, `from (${from}) must not be after to (${to ?? end.toISOString()})`)
  }
  return { from: toDateTime64(start), to: toDateTime64(end) }
}

/**
 * ISO 8601 dates and times only: V8's `Date` alone reads almost anything as some date (it reads
 * `' OR '1'='1` as 2001-01-01), which would turn junk into a silently wrong range.
 */
const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i

/**
 * One instant of the API (a query parameter, a body field or a CLI option, named `field`): ISO
 * 8601 and inside what the store's DateTime64 columns hold, or a 400 that says which.
 */
export function parseInstant(field: string, value: string): Date {
  const date = ISO_8601.test(value) ? new Date(value) : new Date(Number.NaN)
  if (Number.isNaN(date.getTime())) {
    throw new HttpError(
      400,
      `${field} must be an ISO 8601 time such as 2026-12-01T00:00:00Z, got ${JSON.stringify(value)}`,
    )
  }
  if (date.getTime() < MIN_INSTANT.getTime() || date.getTime() > MAX_INSTANT.getTime()) {
    throw new HttpError(
      400,
      `${field} must be a time ${ACCEPTED} (what the store holds), got ${JSON.stringify(value)}`,
    )
  }
  return date
}

/** A `{...:DateTime64(9, 'UTC')}` parameter's literal for an instant (milliseconds kept). */
export function toDateTime64(date: Date): string {
  const iso = date.toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`
}

/** The instant of a UTC DateTime64 literal (as `toDateTime64` or ClickHouse writes it), in ms. */
export function dateTime64Millis(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}Z`)
}
