import { NO_VALUE } from './placeholders'

/**
 * Milliseconds from `startTime` to `endTime` (ISO 8601); `null` when either is unreadable or the
 * end comes before the start.
 */
export function durationMillis(startTime: string, endTime: string): number | null {
  const start = Date.parse(startTime)
  const end = Date.parse(endTime)
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) return null
  return end - start
}

function pad(value: number): string {
  return String(value).padStart(2, '0')
}

/**
 * Formats a duration for a table cell: `850 ms`, `12.3 s`, `4m 05s`, `2h 07m`; `null` or a
 * negative value reads `—`.
 */
export function formatDuration(millis: number | null | undefined): string {
  if (millis === null || millis === undefined || Number.isNaN(millis) || millis < 0) {
    return NO_VALUE
  }
  if (millis < 1000) return `${Math.round(millis)} ms`
  if (millis < 60_000) {
    const seconds = Math.round(millis / 100) / 10
    // 59.96 s rounds to 60.0 s: show it as the minute it is.
    if (seconds < 60) return `${seconds.toFixed(1)} s`
  }
  const totalSeconds = Math.round(millis / 1000)
  if (totalSeconds < 3600) {
    return `${Math.floor(totalSeconds / 60)}m ${pad(totalSeconds % 60)}s`
  }
  const totalMinutes = Math.round(totalSeconds / 60)
  return `${Math.floor(totalMinutes / 60)}h ${pad(totalMinutes % 60)}m`
}
