import { describe, expect, it } from 'vitest'
import {
  DEFAULT_EXPLORE,
  activeFilterCount,
  drillToDay,
  exploreApiParams,
  exploreBucket,
  exploreToSearch,
  exploreWindow,
  hotspotsHref,
  parseExploreFilters,
} from './explore-filters'

describe('parseExploreFilters', () => {
  it('should read every filter, trimmed, and give back the same URL', () => {
    const search =
      '?range=24h&name=triage&environment=prod&service=svc-a&step=classify&model=gpt-4o&provider=openai&tag=team%3Dsupport'
    const filters = parseExploreFilters(search)
    expect(filters).toEqual({
      ...DEFAULT_EXPLORE,
      range: '24h',
      name: 'triage',
      environment: 'prod',
      service: 'svc-a',
      step: 'classify',
      model: 'gpt-4o',
      provider: 'openai',
      tag: 'team=support',
    })
    expect(exploreToSearch(filters)).toBe(search)
    expect(activeFilterCount(filters)).toBe(7)
  })

  it('does drop a tag without a key=value, a reversed or half window, and blanks', () => {
    expect(
      parseExploreFilters('?tag=team&from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z&model=%20'),
    ).toEqual(DEFAULT_EXPLORE)
    expect(parseExploreFilters('?from=2026-12-02T00:00:00Z')).toEqual(DEFAULT_EXPLORE)
    expect(exploreToSearch(DEFAULT_EXPLORE)).toBe('')
  })
})

describe('hotspotsHref', () => {
  it('should keep the range on screen, the default one named, and the filters', () => {
    expect(hotspotsHref(DEFAULT_EXPLORE)).toBe(`/hotspots?range=${DEFAULT_EXPLORE.range}`)
    expect(hotspotsHref(parseExploreFilters('?range=24h&model=gpt-4o'))).toBe(
      '/hotspots?range=24h&model=gpt-4o',
    )
    const window = '?from=2026-12-01T00%3A00%3A00.000Z&to=2026-12-02T00%3A00%3A00.000Z'
    expect(hotspotsHref(parseExploreFilters(window))).toBe(`/hotspots${window}`)
  })
})

describe('exploreWindow and exploreApiParams', () => {
  const now = Date.parse('2026-12-04T12:00:00Z')

  it('should prefer the absolute window of a drill-down over the preset', () => {
    const day = drillToDay(DEFAULT_EXPLORE, '2026-12-01')
    expect(exploreWindow(day, now)).toEqual({
      from: '2026-12-01T00:00:00.000Z',
      to: '2026-12-01T23:59:59.999Z',
    })
    expect(exploreBucket(exploreWindow(day, now))).toBe('hour')
    expect(exploreBucket(exploreWindow(DEFAULT_EXPLORE, now))).toBe('day')
  })

  it('should send only the filters that are set', () => {
    expect(exploreApiParams({ ...DEFAULT_EXPLORE, range: '1h', model: 'm' }, now)).toEqual({
      from: '2026-12-04T11:00:00.000Z',
      to: '2026-12-04T12:00:00.000Z',
      name: undefined,
      environment: undefined,
      service: undefined,
      step: undefined,
      model: 'm',
      provider: undefined,
      tag: undefined,
    })
  })
})
