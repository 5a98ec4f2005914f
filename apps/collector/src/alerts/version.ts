/**
 * Row versions for the ReplacingMergeTree alert tables: microseconds since the epoch, strictly
 * increasing within the process, so two updates in the same millisecond still order.
 */
let last = 0

export function nextVersion(): number {
  const now = Date.now() * 1000
  last = now > last ? now : last + 1
  return last
}

/** A `DateTime64(3, 'UTC')` literal for a Date. */
export function toDateTime64Millis(date: Date): string {
  const iso = date.toISOString()
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`
}

/** A `DateTime64(3)` value as ClickHouse prints it, to ISO 8601. */
export function fromDateTime64Millis(value: string): string {
  const [date = '', time = '00:00:00.000'] = value.split(' ')
  const [clock = '00:00:00', fraction = ''] = time.split('.')
  return `${date}T${clock}.${fraction.padEnd(3, '0').slice(0, 3)}Z`
}
