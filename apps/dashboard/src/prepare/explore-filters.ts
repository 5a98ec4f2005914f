import { DEFAULT_FILTERS, filtersToSearch, parseFilters, resolveTimeWindow } from './filters'
import type { CostFilters } from './filters'
import type { TimeWindow } from '../api/types'
import type { Bucket } from './time-buckets'

/**
 * The Explore filters every page shares, kept in the query string so a shared URL reproduces
 * the view: the range preset and task name of `CostFilters`, an absolute window (`from` / `to`,
 * set by a drill-down, wins over the preset) and the span filters the API takes.
 */
export interface ExploreFilters extends CostFilters {
  from: string | null
  to: string | null
  environment: string | null
  service: string | null
  step: string | null
  model: string | null
  provider: string | null
  /** `key=value` of a span or resource attribute. */
  tag: string | null
}

/** The span filters, in the order the bar shows them. */
export const SPAN_FILTER_FIELDS = [
  { name: 'environment', label: 'Environment' },
  { name: 'service', label: 'Service' },
  { name: 'step', label: 'Step' },
  { name: 'model', label: 'Model' },
  { name: 'provider', label: 'Provider' },
  { name: 'tag', label: 'Tag (key=value)' },
] as const

export type SpanFilterName = (typeof SPAN_FILTER_FIELDS)[number]['name']

export const DEFAULT_EXPLORE: ExploreFilters = {
  ...DEFAULT_FILTERS,
  from: null,
  to: null,
  environment: null,
  service: null,
  step: null,
  model: null,
  provider: null,
  tag: null,
}

function instant(value: string | null): string | null {
  if (value === null || value === '' || Number.isNaN(Date.parse(value))) return null
  return new Date(Date.parse(value)).toISOString()
}

/** Reads the filters from a query string; unknown or unreadable values fall back to none. */
export function parseExploreFilters(search: string): ExploreFilters {
  const query = new URLSearchParams(search)
  const text = (name: string) => {
    const value = query.get(name)
    return value === null || value.trim() === '' ? null : value.trim()
  }
  const from = instant(query.get('from'))
  const to = instant(query.get('to'))
  const absolute = from !== null && to !== null && Date.parse(from) <= Date.parse(to)
  const filters: ExploreFilters = {
    ...parseFilters(search),
    from: absolute ? from : null,
    to: absolute ? to : null,
    environment: null,
    service: null,
    step: null,
    model: null,
    provider: null,
    tag: null,
  }
  for (const field of SPAN_FILTER_FIELDS) filters[field.name] = text(field.name)
  if (filters.tag !== null && filters.tag.indexOf('=') <= 0) filters.tag = null
  return filters
}

/** Writes the filters as a query string (`''` for the defaults), the inverse of the parser. */
export function exploreToSearch(filters: ExploreFilters): string {
  const query = new URLSearchParams(filtersToSearch(filters))
  if (filters.from !== null && filters.to !== null) {
    query.set('from', filters.from)
    query.set('to', filters.to)
  }
  for (const field of SPAN_FILTER_FIELDS) {
    const value = filters[field.name]
    if (value !== null) query.set(field.name, value)
  }
  const search = query.toString()
  return search === '' ? '' : `?${search}`
}

/**
 * A link to the Hotspots page for the same tasks and time range. The range is always named:
 * a link without it would get that page's own default range, not the one on screen.
 */
export function hotspotsHref(filters: ExploreFilters): string {
  const query = new URLSearchParams(exploreToSearch(filters))
  if (!query.has('from') && !query.has('range')) query.set('range', filters.range)
  return `/hotspots?${query.toString()}`
}

/** The window the filters cover: the absolute one when set, else the preset ending now. */
export function exploreWindow(filters: ExploreFilters, nowMillis: number): TimeWindow {
  if (filters.from !== null && filters.to !== null) return { from: filters.from, to: filters.to }
  return resolveTimeWindow(filters.range, nowMillis)
}

/** Hours for windows up to two days, days beyond. */
export function exploreBucket(window: TimeWindow): Bucket {
  return Date.parse(window.to) - Date.parse(window.from) <= 2 * 86_400_000 ? 'hour' : 'day'
}

/** Query parameters of an API read: the window and every filter that is set. */
export type ExploreParams = TimeWindow & {
  name?: string | undefined
} & Partial<Record<SpanFilterName, string | undefined>>

export function exploreApiParams(filters: ExploreFilters, nowMillis: number): ExploreParams {
  const params: ExploreParams = {
    ...exploreWindow(filters, nowMillis),
    name: filters.name ?? undefined,
  }
  for (const field of SPAN_FILTER_FIELDS) params[field.name] = filters[field.name] ?? undefined
  return params
}

/** The filters with an absolute window of one UTC day (`YYYY-MM-DD`), for a drill-down. */
export function drillToDay(filters: ExploreFilters, day: string): ExploreFilters {
  const start = Date.parse(`${day}T00:00:00Z`)
  return {
    ...filters,
    from: new Date(start).toISOString(),
    to: new Date(start + 86_400_000 - 1).toISOString(),
  }
}

/** How many filters besides the time range are set (for the bar's summary). */
export function activeFilterCount(filters: ExploreFilters): number {
  return [filters.name, ...SPAN_FILTER_FIELDS.map((field) => filters[field.name])].filter(
    (value) => value !== null,
  ).length
}
