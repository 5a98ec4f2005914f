import { describe, expect, it } from 'vitest'
import { bucketLabel, bucketOf, bucketTitle, bucketsInWindow } from './time-buckets'

describe('bucketOf', () => {
  it('should read dates, ClickHouse date-times as UTC, and instants', () => {
    expect([
      bucketOf('2025-01-31', 'day'),
      bucketOf('2025-01-31 23:59:59', 'day'),
      bucketOf('2025-01-31T13:00:00Z', 'hour'),
      bucketOf('2025-01-31T13:45:10+01:00', 'hour'),
    ]).toEqual([
      { key: '2025-01-31', startMillis: Date.parse('2025-01-31T00:00:00Z') },
      { key: '2025-01-31', startMillis: Date.parse('2025-01-31T00:00:00Z') },
      { key: '2025-01-31T13:00:00Z', startMillis: Date.parse('2025-01-31T13:00:00Z') },
      { key: '2025-01-31T12:00:00Z', startMillis: Date.parse('2025-01-31T12:00:00Z') },
    ])
  })

  it('does keep an unreadable key as it is', () => {
    expect(bucketOf('week 5', 'day')).toEqual({ key: 'week 5', startMillis: null })
  })
})

describe('bucketsInWindow', () => {
  it('should list every UTC day the window touches', () => {
    const window = { from: '2025-01-30T22:00:00.000Z', to: '2025-02-01T01:00:00.000Z' }
    expect(bucketsInWindow(window, 'day').map((slot) => slot.key)).toEqual([
      '2025-01-30',
      '2025-01-31',
      '2025-02-01',
    ])
  })

  it('should list every hour the window touches', () => {
    const window = { from: '2025-01-31T10:30:00.000Z', to: '2025-01-31T12:00:00.000Z' }
    expect(bucketsInWindow(window, 'hour').map((slot) => slot.key)).toEqual([
      '2025-01-31T10:00:00Z',
      '2025-01-31T11:00:00Z',
      '2025-01-31T12:00:00Z',
    ])
  })

  it('does list nothing for a reversed or unreadable window', () => {
    expect([
      bucketsInWindow({ from: '2025-02-01T00:00:00Z', to: '2025-01-01T00:00:00Z' }, 'day'),
      bucketsInWindow({ from: 'then', to: 'now' }, 'day'),
    ]).toEqual([[], []])
  })
})

describe('bucketLabel and bucketTitle', () => {
  it('should name days and hours in UTC', () => {
    const day = bucketOf('2025-01-05', 'day')
    const hour = bucketOf('2025-01-05T13:00:00Z', 'hour')
    expect([
      bucketLabel(day, 'day'),
      bucketTitle(day, 'day'),
      bucketLabel(hour, 'hour'),
      bucketTitle(hour, 'hour'),
      bucketLabel({ key: 'week 5', startMillis: null }, 'day'),
    ]).toEqual(['Jan 5', 'Jan 5, 2025 (UTC)', '13:00', 'Jan 5, 2025, 13:00 UTC', 'week 5'])
  })
})
