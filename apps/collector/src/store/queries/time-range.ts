import { HttpError } from '../../errors'

export interface TimeRange {
  /** DateTime64 literals in UTC, for `{from:DateTime64(9, 'UTC')}` parameters. */
  from: string
  to: string
}

const DEFAULT_RANGE_MILLIS = 7 * 24 * 60 * 60 * 1000

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
  const start = from ? parseInstant('from', from) : new Date(end.getTime() - DEFAULT_RANGE_MILLIS)
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

function parseInstant(field: string, value: string): Date {
  const date = ISO_8601.test(value) ? new Date(value) : new Date(Number.NaN)
  if (Number.isNaN(date.getTime())) {
    throw new HttpError(
      400,
      `${field} must be an ISO 8601 time such as 2026-12-01T00:00:00Z, got ${JSON.stringify(value)}`,
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
