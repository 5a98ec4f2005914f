import type { TaskSummary } from '../api/types'
import { taskHref } from '../routing/route'
import { durationMillis, formatDuration } from './format-duration'
import { formatTimestamp } from './format-time'
import { formatCount } from './format-tokens'
import { outcomeView, taskCostFields, taskTokensText } from './task-fields'
import type { OutcomeView } from './task-fields'
import { displayTaskName } from './task-name'

/** One row of the task table. */
export interface TaskListRow {
  taskId: string
  href: string
  name: string
  start: string
  duration: string
  llmCalls: string
  toolCalls: string
  tokens: string
  cost: string
  unpriced: string | null
  outcome: OutcomeView
}

/** Everything the task table renders. */
export interface TaskListModel {
  rows: TaskListRow[]
  isEmpty: boolean
  /** Set when the range holds more tasks than those loaded. */
  note: string | null
}

/** Options of `prepareTaskList`. */
export interface TaskListOptions {
  /** The collector has more tasks after these (the list can load the next page). */
  hasMore: boolean
  /** Time zone of the start column. @default the browser's */
  timeZone?: string
}

/** Prepares `GET /api/v1/tasks` for the task table, keeping the API's newest-first order. */
export function prepareTaskList(tasks: TaskSummary[], options: TaskListOptions): TaskListModel {
  return {
    rows: tasks.map((task) => ({
      taskId: task.taskId,
      href: taskHref(task.taskId),
      name: displayTaskName(task.name),
      start: formatTimestamp(task.startTime, options.timeZone),
      duration: formatDuration(durationMillis(task.startTime, task.endTime)),
      llmCalls: formatCount(task.llmCalls),
      toolCalls: formatCount(task.toolCalls),
      tokens: taskTokensText(task),
      ...taskCostFields(task.costUsd, task.unpricedCalls),
      outcome: outcomeView(task.outcome),
    })),
    isEmpty: tasks.length === 0,
    note: options.hasMore
      ? `Showing the newest ${formatCount(tasks.length)} tasks of the range.`
      : null,
  }
}
