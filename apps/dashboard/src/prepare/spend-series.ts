import type { CostRow, TimeWindow } from '../api/types'
import { formatUsd } from './format-money'
import { formatCount } from './format-tokens'
import { NO_VALUE } from './placeholders'
import { OTHER_SERIES_COLOR, SERIES_COLOR_COUNT, seriesColor } from './palette'
import { displayTaskName } from './task-name'
import { bucketLabel, bucketOf, bucketsInWindow, bucketTitle } from './time-buckets'
import type { Bucket, BucketSlot } from './time-buckets'

/** One stacked series: a task name, or the merged rest. */
export interface SpendSeries {
  /** Key of the series in every `SpendDatum`; generated, since task names may hold dots. */
  dataKey: string
  name: string
  color: string
  totalUsd: number
}

/** One bar: `index` and `label`, then each series' spend in USD under its `dataKey`. */
export interface SpendDatum {
  index: number
  label: string
  [dataKey: string]: number | string
}

/** One series in the tooltip of one bar. */
export interface SpendTooltipLine {
  dataKey: string
  name: string
  color: string
  spend: string
  tasks: string
  p50: string
  p95: string
}

/** The tooltip of one bar. */
export interface SpendTooltip {
  title: string
  total: string
  lines: SpendTooltipLine[]
}

/** Everything the spend-over-time chart renders. */
export interface SpendChartModel {
  series: SpendSeries[]
  /** One per bucket, oldest first, for the chart's `data`. */
  data: SpendDatum[]
  /** Parallel to `data`. */
  tooltips: SpendTooltip[]
  totalUsd: number
  isEmpty: boolean
}

/** Options of `prepareSpendSeries`. */
export interface SpendSeriesOptions {
  window: TimeWindow
  bucket: Bucket
  /** Most series drawn, the merged "other" one included. @default 8 */
  maxSeries?: number
}

/** Name of the series that merges the task names past `maxSeries`. */
export const OTHER_SERIES_NAME = 'Other task names'

/** Name of the series of rows the API sent without a `series` (a request without `split`). */
export const ALL_TASKS_SERIES_NAME = 'All tasks'

const OTHER_DATA_KEY = 'other'

interface Cell {
  /** Null while every row of the cell had an unknown spend (nothing priced). */
  costUsd: number | null
  tasks: number
  p50TaskCostUsd: number | null
  p95TaskCostUsd: number | null
}

function seriesName(row: CostRow): string {
  return row.series === null ? ALL_TASKS_SERIES_NAME : displayTaskName(row.series)
}

// Percentiles do not add up: a cell made of two groups with tasks has no p50 we can know.
function addToCell(cell: Cell | undefined, row: CostRow, keepPercentiles: boolean): Cell {
  const hasTasks = row.tasks > 0
  const own: Cell = {
    costUsd: row.costUsd,
    tasks: row.tasks,
    p50TaskCostUsd: hasTasks && keepPercentiles ? row.p50TaskCostUsd : null,
    p95TaskCostUsd: hasTasks && keepPercentiles ? row.p95TaskCostUsd : null,
  }
  if (cell === undefined) return own
  const pick = (a: number | null, b: number | null): number | null =>
    cell.tasks === 0 ? b : !hasTasks ? a : null
  return {
    costUsd:
      cell.costUsd === null && own.costUsd === null
        ? null
        : (cell.costUsd ?? 0) + (own.costUsd ?? 0),
    tasks: cell.tasks + own.tasks,
    p50TaskCostUsd: pick(cell.p50TaskCostUsd, own.p50TaskCostUsd),
    p95TaskCostUsd: pick(cell.p95TaskCostUsd, own.p95TaskCostUsd),
  }
}

function rankSeries(rows: CostRow[], maxSeries: number): Map<string, SpendSeries> {
  const totals = new Map<string, number>()
  for (const row of rows) {
    const name = seriesName(row)
    totals.set(name, (totals.get(name) ?? 0) + (row.costUsd ?? 0))
  }
  const ranked = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  const named = ranked.length > maxSeries ? Math.max(0, maxSeries - 1) : ranked.length

  const byName = new Map<string, SpendSeries>()
  ranked.slice(0, named).forEach(([name, totalUsd], rank) => {
    byName.set(name, { dataKey: `s${rank}`, name, color: seriesColor(rank), totalUsd })
  })
  const rest = ranked.slice(named)
  if (rest.length > 0) {
    const other: SpendSeries = {
      dataKey: OTHER_DATA_KEY,
      name: OTHER_SERIES_NAME,
      color: OTHER_SERIES_COLOR,
      totalUsd: rest.reduce((sum, [, total]) => sum + total, 0),
    }
    for (const [name] of rest) byName.set(name, other)
  }
  return byName
}

function orderedSlots(rows: CostRow[], options: SpendSeriesOptions): BucketSlot[] {
  const slots = new Map<string, BucketSlot>()
  for (const slot of bucketsInWindow(options.window, options.bucket)) slots.set(slot.key, slot)
  for (const row of rows) {
    const slot = bucketOf(row.key, options.bucket)
    if (!slots.has(slot.key)) slots.set(slot.key, slot)
  }
  return [...slots.values()].sort((a, b) => {
    if (a.startMillis !== null && b.startMillis !== null) return a.startMillis - b.startMillis
    if (a.startMillis !== b.startMillis) return a.startMillis === null ? 1 : -1
    return a.key.localeCompare(b.key)
  })
}

/**
 * Pivots `GET /api/v1/costs?groupBy=day&split=task_name` rows into a stacked bar chart: one bar
 * per bucket of the window (empty buckets included), one series per task name, largest spend
 * first, the names past `maxSeries` merged into "other". A (bucket, name) pair without a row
 * spent 0; its p50 / p95 are unknown (`null`), as are those of merged cells (see `./index`).
 */
export function prepareSpendSeries(rows: CostRow[], options: SpendSeriesOptions): SpendChartModel {
  const maxSeries = Math.max(1, options.maxSeries ?? SERIES_COLOR_COUNT)
  const seriesByName = rankSeries(rows, maxSeries)
  const series = [...new Set(seriesByName.values())]
  const slots = orderedSlots(rows, options)

  const cells = new Map<string, Map<string, Cell>>()
  for (const row of rows) {
    const target = seriesByName.get(seriesName(row))
    if (target === undefined) continue
    const key = bucketOf(row.key, options.bucket).key
    const bucketCells = cells.get(key) ?? new Map<string, Cell>()
    const keepPercentiles = target.dataKey !== OTHER_DATA_KEY
    bucketCells.set(
      target.dataKey,
      addToCell(bucketCells.get(target.dataKey), row, keepPercentiles),
    )
    cells.set(key, bucketCells)
  }

  const data: SpendDatum[] = []
  const tooltips: SpendTooltip[] = []
  slots.forEach((slot, index) => {
    const bucketCells = cells.get(slot.key)
    const datum: SpendDatum = { index, label: bucketLabel(slot, options.bucket) }
    const lines: SpendTooltipLine[] = []
    let totalUsd = 0
    let pricedCells = 0
    for (const item of series) {
      const cell = bucketCells?.get(item.dataKey)
      datum[item.dataKey] = cell?.costUsd ?? 0
      totalUsd += cell?.costUsd ?? 0
      if (cell !== undefined && cell.costUsd !== null) pricedCells += 1
      if (cell === undefined || (cell.costUsd === 0 && cell.tasks === 0)) continue
      lines.push({
        dataKey: item.dataKey,
        name: item.name,
        color: item.color,
        spend: formatUsd(cell.costUsd),
        tasks: `${formatCount(cell.tasks)} ${cell.tasks === 1 ? 'task' : 'tasks'}`,
        p50: cell.p50TaskCostUsd === null ? NO_VALUE : formatUsd(cell.p50TaskCostUsd),
        p95: cell.p95TaskCostUsd === null ? NO_VALUE : formatUsd(cell.p95TaskCostUsd),
      })
    }
    data.push(datum)
    // A bar whose every cell has an unknown spend reads unpriced, not $0.00.
    const total = lines.length > 0 && pricedCells === 0 ? formatUsd(null) : formatUsd(totalUsd)
    tooltips.push({ title: bucketTitle(slot, options.bucket), total, lines })
  })

  const totalUsd = series.reduce((sum, item) => sum + item.totalUsd, 0)
  return { series, data, tooltips, totalUsd, isEmpty: totalUsd === 0 }
}
