import { NO_VALUE } from './placeholders'

/**
 * Formats an ISO 8601 instant as `2025-01-31 14:05:09` in `timeZone` (the browser's own when
 * left out); an unreadable value reads `—`.
 */
export function formatTimestamp(iso: string, timeZone?: string): string {
  const time = Date.parse(iso)
  if (Number.isNaN(time)) return NO_VALUE
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(time)
  const part = (type: Intl.DateTimeFormatPartTypes): string =>
    parts.find((item) => item.type === type)?.value ?? ''
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`
}
