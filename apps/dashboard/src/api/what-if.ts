import { apiPath, requestJson } from './client'
import { list, num, record, str } from './decode'

/** A switch the user accepted, as `POST /api/v1/recommendations/what-if` takes it. */
export interface AcceptedSwitch {
  taskName: string
  step: string
  currentModel: string
  suggestedModel: string
  suggestedProvider?: string
  outputRatio?: number
}

export interface CostSummary {
  totalCostUsd: number
  tasks: number
  costPerTaskUsd: number | null
  p50TaskCostUsd: number | null
  p95TaskCostUsd: number | null
}

export interface TaskNameProjection {
  taskName: string
  tasks: number
  currentCostPerTaskUsd: number
  projectedCostPerTaskUsd: number
  currentTotalUsd: number
  projectedTotalUsd: number
  /** The name's calls without a price: in neither total (0 from older collectors). */
  unpricedCalls: number
}

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
  /** Calls without a price in the window, in the tasks left out too. */
  unpricedCalls: number
  /** Tasks none of whose calls could be priced: left out of every figure (0 from older collectors). */
  unpricedOnlyTasks: number
}

function numOrNull(value: unknown, path: string): number | null {
  return value === null || value === undefined ? null : num(value, path)
}

function decodeSummary(value: unknown, path: string): CostSummary {
  const body = record(value, path)
  return {
    totalCostUsd: num(body.totalCostUsd, `${path}.totalCostUsd`),
    tasks: num(body.tasks, `${path}.tasks`),
    costPerTaskUsd: numOrNull(body.costPerTaskUsd, `${path}.costPerTaskUsd`),
    p50TaskCostUsd: numOrNull(body.p50TaskCostUsd, `${path}.p50TaskCostUsd`),
    p95TaskCostUsd: numOrNull(body.p95TaskCostUsd, `${path}.p95TaskCostUsd`),
  }
}

/** Decodes the answer of `POST /api/v1/recommendations/what-if`. */
export function decodeWhatIf(json: unknown): WhatIfResult {
  const body = record(json, 'response')
  return {
    from: str(body.from, 'from'),
    to: str(body.to, 'to'),
    current: decodeSummary(body.current, 'current'),
    projected: decodeSummary(body.projected, 'projected'),
    byTaskName: list(body.byTaskName, 'byTaskName').map((item, i) => {
      const row = record(item, `byTaskName[${i}]`)
      const at = (field: string) => `byTaskName[${i}].${field}`
      return {
        taskName: str(row.taskName, at('taskName')),
        tasks: num(row.tasks, at('tasks')),
        currentCostPerTaskUsd: num(row.currentCostPerTaskUsd, at('currentCostPerTaskUsd')),
        projectedCostPerTaskUsd: num(row.projectedCostPerTaskUsd, at('projectedCostPerTaskUsd')),
        currentTotalUsd: num(row.currentTotalUsd, at('currentTotalUsd')),
        projectedTotalUsd: num(row.projectedTotalUsd, at('projectedTotalUsd')),
        unpricedCalls: num(row.unpricedCalls ?? 0, at('unpricedCalls')),
      }
    }),
    switches: list(body.switches ?? [], 'switches').map((item, i) => {
      const row = record(item, `switches[${i}]`)
      const at = (field: string) => `switches[${i}].${field}`
      return {
        taskName: str(row.taskName, at('taskName')),
        step: str(row.step, at('step')),
        currentModel: str(row.currentModel, at('currentModel')),
        suggestedModel: str(row.suggestedModel, at('suggestedModel')),
        calls: num(row.calls, at('calls')),
        currentCostUsd: num(row.currentCostUsd, at('currentCostUsd')),
        projectedCostUsd: num(row.projectedCostUsd, at('projectedCostUsd')),
      }
    }),
    unpricedCalls: num(body.unpricedCalls, 'unpricedCalls'),
    unpricedOnlyTasks: num(body.unpricedOnlyTasks ?? 0, 'unpricedOnlyTasks'),
  }
}

/** `POST /api/v1/recommendations/what-if`: the last `days` days repriced under `accepted`. */
export async function postWhatIf(
  accepted: readonly AcceptedSwitch[],
  signal?: AbortSignal,
): Promise<WhatIfResult> {
  const path = apiPath('/recommendations/what-if')
  return decodeWhatIf(await requestJson(path, { method: 'POST', body: { accepted }, signal }))
}
