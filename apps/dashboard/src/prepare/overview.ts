import type { Overview } from '../api/explore'
import type { TimeWindow } from '../api/types'
import { formatCount, formatPercent, formatUsd } from './format'
import { NO_VALUE } from './placeholders'
import { taskCostText } from './task-fields'
import { displayTaskName } from './task-name'
import { bucketLabel, bucketTitle, bucketsInWindow } from './time-buckets'

/** One headline figure of the Overview. */
export interface StatCard {
  id: string
  label: string
  value: string
  detail: string
  /** What the figure leaves out, e.g. `+ 12 unpriced calls`; null when nothing is. */
  unpriced: string | null
}

export interface DayBar {
  day: string
  label: string
  title: string
  tasks: number
  successfulTasks: number
  /** Null when the day's tasks had nothing priced. */
  costUsd: number | null
  unpricedCalls: number
}

export interface OverviewModel {
  cards: StatCard[]
  /** One bar per UTC day of the window, zero on days without tasks. */
  days: DayBar[]
  topTaskTypes: Array<{
    name: string
    label: string
    tasks: string
    cost: string
    costUsd: number | null
  }>
  topModels: Array<{
    model: string
    provider: string
    calls: string
    cost: string
    costUsd: number | null
  }>
}

/** `+ 12 unpriced calls` beside a priced figure that leaves them out, or null. */
export function unpricedCallsNote(calls: number): string | null {
  if (calls <= 0) return null
  return `+ ${formatCount(calls)} unpriced call${calls === 1 ? '' : 's'}`
}

/**
 * Null versus zero: spend of a period with no spans is `$0.00`; a period whose calls all went
 * unpriced reads `unpriced`; a forecast without a run rate and a cost per task without a priced
 * task are `—`, with the reason in the detail line; the unpriced share of a range without calls
 * is `—`. Today, month to date and the forecast say how many unpriced calls they leave out.
 */
export function prepareOverview(data: Overview, window: TimeWindow): OverviewModel {
  const { forecast } = data
  const interval =
    forecast.lowUsd !== null && forecast.highUsd !== null
      ? `${formatUsd(forecast.lowUsd)} – ${formatUsd(forecast.highUsd)} (95%). `
      : ''
  const byDay = new Map(data.tasksPerDay.map((row) => [row.day, row]))
  return {
    cards: [
      {
        id: 'today',
        label: 'Spend today (UTC)',
        value: taskCostText(data.todayUsd, data.todayUnpricedCalls),
        detail: '',
        unpriced: unpricedCallsNote(data.todayUnpricedCalls),
      },
      {
        id: 'month',
        label: 'Month to date',
        value: taskCostText(data.monthToDateUsd, data.monthToDateUnpricedCalls),
        detail: forecast.month,
        unpriced: unpricedCallsNote(data.monthToDateUnpricedCalls),
      },
      {
        id: 'forecast',
        label: `Forecast for ${forecast.month}`,
        value: forecast.costUsd === null ? NO_VALUE : formatUsd(forecast.costUsd),
        detail: `${interval}${forecast.method}`,
        unpriced:
          forecast.unpricedCalls > 0
            ? `${unpricedCallsNote(forecast.unpricedCalls)} left out of its days`
            : null,
      },
      {
        id: 'cost-per-task',
        label: 'Cost per task',
        value: data.costPerTaskUsd === null ? NO_VALUE : formatUsd(data.costPerTaskUsd),
        detail:
          data.unpricedOnlyTasks > 0
            ? `${formatCount(data.tasks)} tasks; ${formatCount(data.unpricedOnlyTasks)} without any price left out`
            : `${formatCount(data.tasks)} tasks`,
        unpriced: null,
      },
      {
        id: 'cost-per-success',
        label: 'Cost per successful task',
        value:
          data.costPerSuccessfulTaskUsd === null
            ? NO_VALUE
            : formatUsd(data.costPerSuccessfulTaskUsd),
        detail:
          data.unpricedOnlySuccessfulTasks > 0
            ? `${formatCount(data.successfulTasks)} succeeded; ${formatCount(data.unpricedOnlySuccessfulTasks)} without any price left out`
            : `${formatCount(data.successfulTasks)} succeeded`,
        unpriced: null,
      },
      {
        id: 'unpriced',
        label: 'Unpriced calls',
        value: formatPercent(data.unpriced.share),
        detail: `${formatCount(data.unpriced.calls)} of ${formatCount(data.unpriced.totalCalls)} calls`,
        unpriced: null,
      },
    ],
    days: bucketsInWindow(window, 'day').map((slot) => {
      const row = byDay.get(slot.key)
      return {
        day: slot.key,
        label: bucketLabel(slot, 'day'),
        title: bucketTitle(slot, 'day'),
        tasks: row?.tasks ?? 0,
        successfulTasks: row?.successfulTasks ?? 0,
        costUsd: row === undefined ? 0 : row.costUsd,
        unpricedCalls: row?.unpricedCalls ?? 0,
      }
    }),
    topTaskTypes: data.topTaskTypes.map((row) => ({
      name: row.name,
      label: displayTaskName(row.name),
      tasks: formatCount(row.tasks),
      cost: taskCostText(row.costUsd, row.unpricedCalls),
      costUsd: row.costUsd,
    })),
    topModels: data.topModels.map((row) => ({
      model: row.model,
      provider: row.provider,
      calls: formatCount(row.calls),
      cost: taskCostText(row.costUsd, row.unpricedCalls),
      costUsd: row.costUsd,
    })),
  }
}
