import { describe, expect, it } from 'vitest'
import { formatTimestamp } from './format-time'

describe('formatTimestamp', () => {
  it('should write an instant in the given time zone, 24-hour', () => {
    expect([
      formatTimestamp('2025-01-31T14:05:09.123Z', 'UTC'),
      formatTimestamp('2025-01-31T23:30:00Z', 'Asia/Tokyo'),
      formatTimestamp('2025-01-31T00:00:00Z', 'UTC'),
    ]).toEqual(['2025-01-31 14:05:09', '2025-02-01 08:30:00', '2025-01-31 00:00:00'])
  })

  it('should write an unreadable instant as a dash', () => {
    expect(formatTimestamp('yesterday', 'UTC')).toEqual('—')
  })
})
