import type { AcceptedSwitch, WhatIfResult } from '../api/what-if'
import { formatCount, formatPercent, formatUsd } from './format'
import { NO_VALUE } from './placeholders'

export interface WhatIfRow {
  taskName: string
  tasks: number
  currentPerTask: string
  projectedPerTask: string
  currentTotal: string
  projectedTotal: string
  change: string
  /** Calls of these tasks without a price (in neither total), as a count. */
  unpriced: string
}

/** One switch as the what-if view lists it: what it repriced. */
export interface SwitchLine {
  key: string
  text: string
}

export interface WhatIfModel {
  switches: SwitchLine[]
  rows: WhatIfRow[]
  totals: WhatIfRow
  percentiles: { current: string; projected: string }
  /** Current and projected cost per task, per task name, for the bar chart. */
  chart: Array<{ name: string; current: number; projected: number }>
  chartHeight: number
  /**
   * Set when some calls had no price: how many tasks without any price were left out, and how
   * many calls are in neither figure.
   */
  unpricedNote: string | null
}

/** Pixels per task name in the bar chart. */
const CHART_ROW_HEIGHT = 44

/** The what-if answer as a table (per task name, then totals) and a chart. */
export function prepareWhatIf(result: WhatIfResult): WhatIfModel {
  const rows = result.byTaskName.map((row) => ({
    taskName: row.taskName || '(unnamed task)',
    tasks: row.tasks,
    currentPerTask: formatUsd(row.currentCostPerTaskUsd),
    projectedPerTask: formatUsd(row.projectedCostPerTaskUsd),
    currentTotal: formatUsd(row.currentTotalUsd),
    projectedTotal: formatUsd(row.projectedTotalUsd),
    change: formatChange(row.currentTotalUsd, row.projectedTotalUsd),
    unpriced: formatCount(row.unpricedCalls),
  }))
  const { current, projected } = result
  // No priced task: the totals are unknown, not $0 (the tasks left out say why).
  const total = (usd: number) => (current.tasks === 0 ? NO_VALUE : formatUsd(usd))
  return {
    switches: result.switches.map((item) => ({
      key: `${item.taskName}|${item.step}|${item.currentModel}|${item.suggestedModel}`,
      text: `${item.taskName} · step ${item.step}: ${item.currentModel} → ${item.suggestedModel}, ${item.calls} call${item.calls === 1 ? '' : 's'}, ${formatUsd(item.currentCostUsd)} → ${formatUsd(item.projectedCostUsd)}`,
    })),
    rows,
    totals: {
      taskName: 'All tasks',
      tasks: current.tasks,
      currentPerTask: formatMaybe(current.costPerTaskUsd),
      projectedPerTask: formatMaybe(projected.costPerTaskUsd),
      currentTotal: total(current.totalCostUsd),
      projectedTotal: total(projected.totalCostUsd),
      change: formatChange(current.totalCostUsd, projected.totalCostUsd),
      unpriced: formatCount(result.byTaskName.reduce((sum, row) => sum + row.unpricedCalls, 0)),
    },
    percentiles: {
      current: `p50 ${formatMaybe(current.p50TaskCostUsd)} · p95 ${formatMaybe(current.p95TaskCostUsd)}`,
      projected: `p50 ${formatMaybe(projected.p50TaskCostUsd)} · p95 ${formatMaybe(projected.p95TaskCostUsd)}`,
    },
    chart: result.byTaskName.map((row) => ({
      name: row.taskName || '(unnamed task)',
      current: row.currentCostPerTaskUsd,
      projected: row.projectedCostPerTaskUsd,
    })),
    chartHeight: Math.max(120, result.byTaskName.length * CHART_ROW_HEIGHT + 60),
    unpricedNote: unpricedNote(result.unpricedOnlyTasks, result.unpricedCalls),
  }
}

/** `3 tasks without any price left out; 12 unpriced calls in the window are in neither figure.` */
export function unpricedNote(unpricedOnlyTasks: number, unpricedCalls: number): string | null {
  const plural = (count: number, word: string) =>
    `${formatCount(count)} ${word}${count === 1 ? '' : 's'}`
  const parts = [
    ...(unpricedOnlyTasks > 0
      ? [`${plural(unpricedOnlyTasks, 'task')} without any price left out`]
      : []),
    ...(unpricedCalls > 0
      ? [
          `${plural(unpricedCalls, 'unpriced call')} in the window ${unpricedCalls === 1 ? 'is' : 'are'} in neither figure`,
        ]
      : []),
  ]
  return parts.length === 0 ? null : `${parts.join('; ')}.`
}

function formatMaybe(value: number | null): string {
  return value === null ? NO_VALUE : formatUsd(value)
}

/**
 * Relative change as `formatPercent` writes it (`<0.1%` for a small one), with a sign and a
 * true minus; `—` when nothing was spent before.
 */
export function formatChange(before: number, after: number): string {
  if (before === 0) return NO_VALUE
  const change = (after - before) / before
  const text = formatPercent(Math.abs(change))
  return change > 0 ? `+${text}` : change < 0 ? `\u2212${text}` : text
}

const ACCEPT_PARAM = 'accept'

/**
 * The accepted switches in the query string, so a what-if can be shared as a link: one
 * `accept` parameter per switch, its fields percent-encoded and joined by commas. Malformed
 * entries are left out.
 */
export function parseAcceptedSearch(search: string): AcceptedSwitch[] {
  const params = new URLSearchParams(search)
  const accepted: AcceptedSwitch[] = []
  for (const value of params.getAll(ACCEPT_PARAM)) {
    const parts = value.split(',').map(safeDecode)
    if (parts.length < 4 || parts.length > 6 || parts.some((part) => part === null)) continue
    const [taskName, step, currentModel, suggestedModel, ratio, provider] = parts as string[]
    if (!taskName || !step || !currentModel || !suggestedModel) continue
    const outputRatio = ratio === undefined || ratio === '' ? undefined : Number(ratio)
    if (outputRatio !== undefined && !(outputRatio > 0)) continue
    accepted.push({
      taskName,
      step,
      currentModel,
      suggestedModel,
      ...(outputRatio !== undefined ? { outputRatio } : {}),
      ...(provider ? { suggestedProvider: provider } : {}),
    })
  }
  return accepted
}

export function acceptedToSearch(accepted: readonly AcceptedSwitch[]): string {
  const params = new URLSearchParams()
  for (const item of accepted) {
    const fields = [
      item.taskName,
      item.step,
      item.currentModel,
      item.suggestedModel,
      item.outputRatio === undefined ? '' : String(item.outputRatio),
      item.suggestedProvider ?? '',
    ]
    params.append(ACCEPT_PARAM, fields.map(encodeURIComponent).join(','))
  }
  const text = params.toString()
  return text === '' ? '' : `?${text}`
}

function safeDecode(part: string): string | null {
  try {
    return decodeURIComponent(part)
  } catch {
    return null
  }
}
