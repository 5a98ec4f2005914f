import type { TimeWindow } from '../api/types'
import type { Bucket } from './time-buckets'

/** Time range presets of the cost-per-task page, from now backwards. */
export type RangePreset = '1h' | '24h' | '7d' | '30d'

/** The presets in the order the range select lists them. */
export const RANGE_PRESETS: ReadonlyArray<{ value: RangePreset; label: string; millis: number }> = [
  { value: '1h', label: 'Last hour', millis: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', millis: 86_400_000 },
  { value: '7d', label: 'Last 7 days', millis: 7 * 86_400_000 },
  { value: '30d', label: 'Last 30 days', millis: 30 * 86_400_000 },
]

/** Filters of the cost-per-task page, kept in the query string so a view can be shared. */
export interface CostFilters {
  range: RangePreset
  /** One task name, or `null` for all of them. */
  name: string | null
}

/** What a URL without filters shows. */
export const DEFAULT_FILTERS: CostFilters = { range: '7d', name: null }

function isRangePreset(value: string | null): value is RangePreset {
  return RANGE_PRESETS.some((preset) => preset.value === value)
}

/** Reads the filters from a query string such as `?range=24h&name=triage`; bad values fall back. */
export function parseFilters(search: string): CostFilters {
  const query = new URLSearchParams(search)
  const range = query.get('range')
  const name = query.get('name')
  return {
    range: isRangePreset(range) ? range : DEFAULT_FILTERS.range,
    name: name === null || name === '' ? null : name,
  }
}

/** Writes the filters as a query string (`''` for the defaults), the inverse of `parseFilters`. */
export function filtersToSearch(filters: CostFilters): string {
  const query = new URLSearchParams()
  if (filters.range !== DEFAULT_FILTERS.range) query.set('range', filters.range)
  if (filters.name !== null) query.set('name', filters.name)
  const search = query.toString()
  return search === '' ? '' : `?${search}`
}

/** The window a preset covers, ending at `nowMillis`. */
export function resolveTimeWindow(range: RangePreset, nowMillis: number): TimeWindow {
  const preset = RANGE_PRESETS.find((item) => item.value === range) ?? RANGE_PRESETS[0]
  const millis = preset?.millis ?? 0
  return {
    from: new Date(nowMillis - millis).toISOString(),
    to: new Date(nowMillis).toISOString(),
  }
}

/** Bar width of the spend chart for a preset: hours up to a day, days beyond. */
export function bucketForRange(range: RangePreset): Bucket {
  return range === '1h' || range === '24h' ? 'hour' : 'day'
}
