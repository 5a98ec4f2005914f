import type { TimeWindow } from '../api/types'

/** Width of one bar of a spend-over-time chart. Bucket boundaries are UTC. */
export type Bucket = 'day' | 'hour'

const BUCKET_MILLIS: Record<Bucket, number> = { day: 86_400_000, hour: 3_600_000 }

// Longer than the 30-day preset in hours, so a preset never hits it; it only guards against a
// window so wide the chart would freeze the tab.
const MAX_BUCKETS = 1000

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/
const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/
// Date.parse reads almost anything ("week 5" is a day of 2001), so only ISO 8601 goes to it.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

/** One bucket: its canonical key and the instant it starts at (`null` for an unreadable key). */
export interface BucketSlot {
  key: string
  startMillis: number | null
}

/**
 * The UTC bucket a key from the API falls in. Accepts `YYYY-MM-DD`, an ISO 8601 instant, or a
 * ClickHouse `YYYY-MM-DD hh:mm:ss` (read as UTC, which is how the collector groups); keys are
 * canonical `YYYY-MM-DD` (day) or `YYYY-MM-DDThh:00:00Z` (hour). An unreadable key is kept as
 * it is, so its spend still shows.
 */
export function bucketOf(key: string, bucket: Bucket): BucketSlot {
  let time: number
  if (DATE_ONLY.test(key)) time = Date.parse(`${key}T00:00:00Z`)
  else if (LOCAL_DATE_TIME.test(key)) time = Date.parse(`${key.replace(' ', 'T')}Z`)
  else if (ISO_INSTANT.test(key)) time = Date.parse(key)
  else time = Number.NaN
  if (Number.isNaN(time)) return { key, startMillis: null }
  return bucketAt(time, bucket)
}

function bucketAt(time: number, bucket: Bucket): BucketSlot {
  const size = BUCKET_MILLIS[bucket]
  const startMillis = Math.floor(time / size) * size
  const iso = new Date(startMillis).toISOString()
  return { key: bucket === 'day' ? iso.slice(0, 10) : `${iso.slice(0, 13)}:00:00Z`, startMillis }
}

/** Every bucket the window touches, oldest first, so days without spend still get a bar. */
export function bucketsInWindow(window: TimeWindow, bucket: Bucket): BucketSlot[] {
  const from = Date.parse(window.from)
  const to = Date.parse(window.to)
  if (Number.isNaN(from) || Number.isNaN(to) || to < from) return []
  const slots: BucketSlot[] = []
  const last = bucketAt(to, bucket).startMillis ?? from
  for (let start = bucketAt(from, bucket).startMillis ?? from; start <= last;) {
    slots.push(bucketAt(start, bucket))
    if (slots.length >= MAX_BUCKETS) break
    start += BUCKET_MILLIS[bucket]
  }
  return slots
}

const SHORT_DAY = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
})
const LONG_DAY = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  year: 'numeric',
  timeZone: 'UTC',
})
const HOUR = new Intl.DateTimeFormat('en-US', {
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZone: 'UTC',
})

/** Axis label of a bucket: `Jan 5` for a day, `13:00` for an hour. */
export function bucketLabel(slot: BucketSlot, bucket: Bucket): string {
  if (slot.startMillis === null) return slot.key
  return bucket === 'day' ? SHORT_DAY.format(slot.startMillis) : HOUR.format(slot.startMillis)
}

/** Tooltip title of a bucket: `Jan 5, 2025 (UTC)` or `Jan 5, 2025, 13:00 UTC`. */
export function bucketTitle(slot: BucketSlot, bucket: Bucket): string {
  if (slot.startMillis === null) return slot.key
  const day = LONG_DAY.format(slot.startMillis)
  return bucket === 'day' ? `${day} (UTC)` : `${day}, ${HOUR.format(slot.startMillis)} UTC`
}
