import { describe, expect, it } from 'vitest'
import { durationMillis, formatDuration } from './format-duration'

describe('durationMillis', () => {
  it('should measure from start to end', () => {
    expect(durationMillis('2025-01-01T00:00:00.000Z', '2025-01-01T00:00:01.250Z')).toEqual(1250)
  })

  it('does return null when a time is unreadable or the end precedes the start', () => {
    expect([
      durationMillis('soon', '2025-01-01T00:00:00Z'),
      durationMillis('2025-01-01T00:00:02Z', '2025-01-01T00:00:01Z'),
    ]).toEqual([null, null])
  })
})

describe('formatDuration', () => {
  it('should pick the unit by size', () => {
    expect([
      formatDuration(0),
      formatDuration(850.4),
      formatDuration(1000),
      formatDuration(12_345),
      formatDuration(245_000),
      formatDuration(7_620_000),
    ]).toEqual(['0 ms', '850 ms', '1.0 s', '12.3 s', '4m 05s', '2h 07m'])
  })

  it('does carry into the next unit when rounding reaches it', () => {
    expect([formatDuration(59_960), formatDuration(3_599_600)]).toEqual(['1m 00s', '1h 00m'])
  })

  it('should write a missing or negative duration as a dash', () => {
    expect([formatDuration(null), formatDuration(-1), formatDuration(Number.NaN)]).toEqual([
      '—',
      '—',
      '—',
    ])
  })
})
