import { describe, expect, it } from 'vitest'
import { bucketForRange, filtersToSearch, parseFilters, resolveTimeWindow } from './filters'

describe('parseFilters', () => {
  it('should read the range and the task name', () => {
    expect(parseFilters('?range=24h&name=ticket%20triage')).toEqual({
      range: '24h',
      name: 'ticket triage',
    })
  })

  it('does fall back to the defaults for missing or unknown values', () => {
    expect([parseFilters(''), parseFilters('?range=1y&name=')]).toEqual([
      { range: '7d', name: null },
      { range: '7d', name: null },
    ])
  })
})

describe('filtersToSearch', () => {
  it('should leave the defaults out', () => {
    expect(filtersToSearch({ range: '7d', name: null })).toEqual('')
  })

  it('should write what parseFilters reads back', () => {
    const filters = { range: '1h', name: 'a&b=c' } as const
    expect(filtersToSearch(filters)).toEqual('?range=1h&name=a%26b%3Dc')
    expect(parseFilters(filtersToSearch(filters))).toEqual(filters)
  })
})

describe('resolveTimeWindow', () => {
  it('should end at now and reach back the preset', () => {
    const now = Date.parse('2025-01-31T12:00:00.000Z')
    expect([resolveTimeWindow('1h', now), resolveTimeWindow('30d', now)]).toEqual([
      { from: '2025-01-31T11:00:00.000Z', to: '2025-01-31T12:00:00.000Z' },
      { from: '2025-01-01T12:00:00.000Z', to: '2025-01-31T12:00:00.000Z' },
    ])
  })
})

describe('bucketForRange', () => {
  it('should use hours up to a day and days beyond', () => {
    expect(['1h', '24h', '7d', '30d'].map((range) => bucketForRange(range as never))).toEqual([
      'hour',
      'hour',
      'day',
      'day',
    ])
  })
})
