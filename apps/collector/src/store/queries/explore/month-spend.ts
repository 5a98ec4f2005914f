import type { ClickHouseClient } from '@clickhouse/client'
import { rawTaskAggregateSql } from '../task-aggregate'
import { toDateTime64 } from '../time-range'
import { taskFilter, type ExploreFilters } from './filters'
import { forecastMonth, type MonthForecast } from './forecast'

/** The Overview's period figures: priced spend, and the calls each one leaves out. */
export interface MonthSpend {
  /**
   * Priced spend of the UTC day so far and of the UTC month so far (independent of the range);
   * null when the period had model calls and none of them could be priced (unknown, not $0).
   */
  todayUsd: number | null
  monthToDateUsd: number | null
  /** Model calls of the period without a price: their spend is missing from the figure. */
  todayUnpricedCalls: number
  monthToDateUnpricedCalls: number
  /**
   * `unpricedCalls`: the calls without a price on the days the forecast is made of (the month
   * to date and the days its run rate is measured on); `costUsd` is null when none of those
   * days' calls could be priced.
   */
  forecast: MonthForecast & { unpricedCalls: number }
}

export interface MonthSpendQuery {
  projectId: string
  filters: ExploreFilters
  now: Date
}

const FORECAST_WINDOW_DAYS = 7
const DAY_MILLIS = 86_400_000

/** One UTC day of the spans the forecast reads; `cost` is exact Decimal text. */
interface DayRow {
  day: string
  cost: string
  month_cost: string
  priced: string
  unpriced: string
}

/**
 * Today, month to date, and the daily spend the forecast needs: per UTC day of the spans' start,
 * from the earlier of the month's start and `FORECAST_WINDOW_DAYS` before today, with the same
 * filters. Sums are Decimal in ClickHouse; the per-day amounts become numbers for the estimate.
 * Call counts are integers, so they are added up here.
 */
export async function queryMonthSpend(
  client: ClickHouseClient,
  query: MonthSpendQuery,
): Promise<MonthSpend> {
  const now = query.now
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)
  const start = Math.min(monthStart, today - FORECAST_WINDOW_DAYS * DAY_MILLIS)
  const range = { from: toDateTime64(new Date(start)), to: toDateTime64(now) }
  const filter = taskFilter(query.filters)
  const result = await client.query({
    // The month's total rides on every day row (a window over the days, still Decimal): the
    // embedded engine's JSON output WITH TOTALS is not valid JSON when the filter is selective.
    query: `SELECT toString(day) AS day, toString(cost) AS cost,
        toString(sum(month_part) OVER ()) AS month_cost,
        toString(priced_calls) AS priced, toString(unpriced_calls) AS unpriced
      FROM (
      SELECT toDate(start_time, 'UTC') AS day,
        sumIf(cost_usd, priced) + sum(ifNull(tool_cost_usd, toDecimal128(0, 12))) AS cost,
        sumIf(cost_usd, priced AND toDate(start_time, 'UTC') >= {monthStart:Date})
          + sumIf(ifNull(tool_cost_usd, toDecimal128(0, 12)), toDate(start_time, 'UTC') >= {monthStart:Date}) AS month_part,
        -- Not aliased as the column: \`priced\` above must stay the span's flag.
        countIf(priced AND kind IN ('llm', 'embedding')) AS priced_calls,
        countIf(NOT priced AND kind IN ('llm', 'embedding')) AS unpriced_calls
      FROM spans FINAL
      WHERE project_id = {projectId:String}
        AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')}
        AND task_id IN (SELECT task_id FROM (${rawTaskAggregateSql(filter.scan)}) WHERE ${filter.sql})
      GROUP BY day
      ) ORDER BY day`,
    query_params: {
      projectId: query.projectId,
      ...range,
      ...filter.params,
      monthStart: dayOf(monthStart),
    },
    format: 'JSONEachRow',
  })
  const rows = await result.json<DayRow>()
  const daily = new Map(rows.map((row) => [row.day, Number(row.cost)]))
  const monthRows = rows.filter((row) => row.day >= dayOf(monthStart))
  const todayRows = rows.filter((row) => row.day === dayOf(today))
  const forecast = forecastMonth({
    now,
    monthToDateUsd: Number(rows[0]?.month_cost ?? 0),
    dailyUsd: daily,
    firstDay: await firstSpanDay(client, query.projectId),
    windowDays: FORECAST_WINDOW_DAYS,
  })
  // The days the forecast adds up: the month so far and the complete days it measured.
  const measuredFrom = dayOf(today - forecast.daysMeasured * DAY_MILLIS)
  const basis = rows.filter((row) => row.day >= dayOf(monthStart) || row.day >= measuredFrom)
  return {
    todayUsd: pricedOrNull(todayRows, Number(todayRows[0]?.cost ?? 0)),
    monthToDateUsd: pricedOrNull(monthRows, Number(rows[0]?.month_cost ?? 0)),
    todayUnpricedCalls: count(todayRows, 'unpriced'),
    monthToDateUnpricedCalls: count(monthRows, 'unpriced'),
    forecast: {
      ...forecast,
      ...(nothingPriced(basis)
        ? {
            method:
              'No forecast: none of the calls of the month to date and the measured days could be priced.',
            costUsd: null,
            lowUsd: null,
            highUsd: null,
          }
        : {}),
      unpricedCalls: count(basis, 'unpriced'),
    },
  }
}

const count = (rows: DayRow[], column: 'priced' | 'unpriced') =>
  rows.reduce((total, row) => total + Number(row[column]), 0)

/** Model calls and none priced: the spend is unknown (as a task's is, `TASK_COMBINE.cost`). */
const nothingPriced = (rows: DayRow[]) => count(rows, 'priced') === 0 && count(rows, 'unpriced') > 0

const pricedOrNull = (rows: DayRow[], usd: number) => (nothingPriced(rows) ? null : usd)

async function firstSpanDay(client: ClickHouseClient, projectId: string): Promise<string | null> {
  const result = await client.query({
    query: `SELECT toString(toDate(min(start_time), 'UTC')) AS day, count() AS n FROM spans
      WHERE project_id = {projectId:String}`,
    query_params: { projectId },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ day: string; n: string | number }>()
  return row && Number(row.n) > 0 ? row.day : null
}

const dayOf = (millis: number) => new Date(millis).toISOString().slice(0, 10)
