import type { ClickHouseClient } from '@clickhouse/client'
import { dividePico, usdToPico, type PriceBook } from '@agentmeter/core'
import type { AcceptedSwitch, WhatIfInput } from './types'
import { TASK_AGGREGATE_SQL } from '../task-aggregate'
import { parseTimeRange } from '../time-range'
import { queryMatchedCalls, queryTaskCosts, type MatchedCallGroup } from './matched-calls'
import { SwitchPricer } from './reprice-switch'
import { summarize, toUsd, type CostSummary } from './summary'

export interface TaskNameProjection {
  taskName: string
  tasks: number
  currentCostPerTaskUsd: number
  projectedCostPerTaskUsd: number
  currentTotalUsd: number
  projectedTotalUsd: number
  /** Unpriced calls of these tasks: in neither total. */
  unpricedCalls: number
}

/** What one accepted switch touched: its calls and their cost before and after. */
export interface SwitchProjection {
  taskName: string
  step: string
  currentModel: string
  suggestedModel: string
  calls: number
  currentCostUsd: number
  projectedCostUsd: number
}

export interface WhatIfResult {
  from: string
  to: string
  current: CostSummary
  projected: CostSummary
  byTaskName: TaskNameProjection[]
  switches: SwitchProjection[]
  /** LLM calls in the range without a price: in neither total, before or after. */
  unpricedCalls: number
  /**
   * Tasks none of whose calls could be priced: their spend is unknown, so they are left out of
   * `current`, `projected` and `byTaskName` (never counted as $0 tasks).
   */
  unpricedOnlyTasks: number
}

const DAY_MILLIS = 86_400_000

/**
 * Reprices the last `days` days of a project as if the accepted switches had been made: each
 * task's stored cost, less what its matching calls cost, plus what they would cost on the
 * suggested model (see `SwitchPricer`). Unpriced calls stay unpriced. All sums are exact.
 */
export async function queryWhatIf(
  client: ClickHouseClient,
  query: { projectId: string; input: WhatIfInput; priceBook: PriceBook; now?: Date },
): Promise<WhatIfResult> {
  const now = query.now ?? new Date()
  const start = new Date(now.getTime() - query.input.days * DAY_MILLIS)
  const range = parseTimeRange(start.toISOString(), now.toISOString())
  const switches = query.input.accepted
  const pricer = new SwitchPricer(query.priceBook, now)
  pricer.check(switches)

  // The two reads are independent; ClickHouse runs them side by side.
  const [tasks, groups] = await Promise.all([
    queryTaskCosts(client, { projectId: query.projectId, range, aggregateSql: TASK_AGGREGATE_SQL }),
    switches.length === 0
      ? Promise.resolve([])
      : queryMatchedCalls(client, {
          projectId: query.projectId,
          range,
          matches: switches.map((item) => ({
            taskName: item.taskName,
            step: item.step,
            model: item.currentModel,
          })),
        }),
  ])

  const nameOf = new Map(tasks.map((task) => [task.taskId, task.name]))
  const change = new Map<string, bigint>()
  const touched = switches.map(() => ({ calls: 0, current: 0n, projected: 0n }))
  for (const group of groups) {
    const index = switchIndex(switches, group, nameOf.get(group.taskId))
    // Unpriced calls stay unpriced: nothing to take away, nothing to add.
    if (index < 0 || !group.priced) continue
    const current = usdToPico(group.costUsd)
    const projected =
      pricer.callCost(switches[index]!, group.inputTokens, group.outputTokens) * BigInt(group.calls)
    change.set(group.taskId, (change.get(group.taskId) ?? 0n) + projected - current)
    const totals = touched[index]!
    totals.calls += group.calls
    totals.current += current
    totals.projected += projected
  }

  // A task with no known spend has no priced call to switch either (`change` skips unpriced).
  const known = tasks.filter((task) => task.costUsd !== null)
  const currentCosts = known.map((task) => usdToPico(task.costUsd!))
  const projectedCosts = known.map((task, i) => currentCosts[i]! + (change.get(task.taskId) ?? 0n))
  return {
    from: new Date(start).toISOString(),
    to: now.toISOString(),
    current: summarize(currentCosts),
    projected: summarize(projectedCosts),
    byTaskName: byTaskName(known, currentCosts, projectedCosts),
    switches: switches.map((item, i) => ({
      taskName: item.taskName,
      step: item.step,
      currentModel: item.currentModel,
      suggestedModel: item.suggestedModel,
      calls: touched[i]!.calls,
      currentCostUsd: toUsd(touched[i]!.current),
      projectedCostUsd: toUsd(touched[i]!.projected),
    })),
    unpricedCalls: tasks.reduce((sum, task) => sum + task.unpricedCalls, 0),
    unpricedOnlyTasks: tasks.length - known.length,
  }
}

/** The first accepted switch for this (task name, step, requested or served model). */
function switchIndex(
  switches: readonly AcceptedSwitch[],
  group: MatchedCallGroup,
  taskName: string | undefined,
): number {
  return switches.findIndex(
    (item) =>
      item.taskName === taskName &&
      item.step === group.step &&
      (item.currentModel === group.requestModel || item.currentModel === group.responseModel),
  )
}

/** Per task name, largest current spend first. */
function byTaskName(
  tasks: ReadonlyArray<{ name: string; unpricedCalls: number }>,
  current: readonly bigint[],
  projected: readonly bigint[],
): TaskNameProjection[] {
  const totals = new Map<
    string,
    { tasks: number; current: bigint; projected: bigint; unpricedCalls: number }
  >()
  tasks.forEach(({ name, unpricedCalls }, i) => {
    const entry = totals.get(name) ?? { tasks: 0, current: 0n, projected: 0n, unpricedCalls: 0 }
    entry.tasks++
    entry.unpricedCalls += unpricedCalls
    entry.current += current[i]!
    entry.projected += projected[i]!
    totals.set(name, entry)
  })
  return [...totals.entries()]
    .sort(([nameA, a], [nameB, b]) =>
      a.current === b.current ? nameA.localeCompare(nameB) : a.current > b.current ? -1 : 1,
    )
    .map(([taskName, entry]) => ({
      taskName,
      tasks: entry.tasks,
      currentCostPerTaskUsd: toUsd(dividePico(entry.current, entry.tasks)),
      projectedCostPerTaskUsd: toUsd(dividePico(entry.projected, entry.tasks)),
      currentTotalUsd: toUsd(entry.current),
      projectedTotalUsd: toUsd(entry.projected),
      unpricedCalls: entry.unpricedCalls,
    }))
}
