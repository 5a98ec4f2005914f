import { apiPath, requestJson } from './client'
import type { ExploreParams } from '../prepare/explore-filters'
import { list, num, record, str } from './decode'

/**
 * The Explore routes (`/api/v1/overview`, `/showback`, `/regressions`,
 * `/settings/dimensions`) and the optional `/recommendations`, decoded so that a panel shows a
 * message naming the field instead of half a model when an answer is not what it expects.
 */

/** Query parameters: the window, the Explore filters and the route's own. */
export type Params = ExploreParams & { groupBy?: string; split?: string; compare?: string }

const numOrNull = (value: unknown, path: string) =>
  value === null || value === undefined ? null : num(value, path)

export interface Forecast {
  method: string
  costUsd: number | null
  lowUsd: number | null
  highUsd: number | null
  runRateUsdPerDay: number | null
  daysMeasured: number
  month: string
  /** Calls without a price on the days the forecast is made of (0 from older collectors). */
  unpricedCalls: number
}

export interface Overview {
  /** Priced spend; null when the period had calls and none could be priced. */
  todayUsd: number | null
  monthToDateUsd: number | null
  /** Calls of the period without a price, missing from the figure beside. */
  todayUnpricedCalls: number
  monthToDateUnpricedCalls: number
  forecast: Forecast
  /** Null when the range has tasks and none of their calls could be priced. */
  costUsd: number | null
  tasks: number
  successfulTasks: number
  /** Tasks none of whose calls could be priced, left out of both per-task figures. */
  unpricedOnlyTasks: number
  /** Of those, the successes (0 from a collector that does not send it). */
  unpricedOnlySuccessfulTasks: number
  costPerTaskUsd: number | null
  costPerSuccessfulTaskUsd: number | null
  /** Each row's `costUsd` is null when none of its calls could be priced. */
  tasksPerDay: Array<{
    day: string
    tasks: number
    successfulTasks: number
    costUsd: number | null
    unpricedCalls: number
  }>
  topTaskTypes: Array<{
    name: string
    tasks: number
    costUsd: number | null
    unpricedCalls: number
  }>
  topModels: Array<{
    provider: string
    model: string
    calls: number
    costUsd: number | null
    unpricedCalls: number
  }>
  unpriced: { calls: number; totalCalls: number; share: number | null }
}

export function decodeOverview(json: unknown): Overview {
  const body = record(json, 'response')
  const forecast = record(body.forecast, 'forecast')
  const unpriced = record(body.unpriced, 'unpriced')
  return {
    todayUsd: numOrNull(body.todayUsd, 'todayUsd'),
    monthToDateUsd: numOrNull(body.monthToDateUsd, 'monthToDateUsd'),
    todayUnpricedCalls: num(body.todayUnpricedCalls ?? 0, 'todayUnpricedCalls'),
    monthToDateUnpricedCalls: num(body.monthToDateUnpricedCalls ?? 0, 'monthToDateUnpricedCalls'),
    forecast: {
      method: str(forecast.method, 'forecast.method'),
      costUsd: numOrNull(forecast.costUsd, 'forecast.costUsd'),
      lowUsd: numOrNull(forecast.lowUsd, 'forecast.lowUsd'),
      highUsd: numOrNull(forecast.highUsd, 'forecast.highUsd'),
      runRateUsdPerDay: numOrNull(forecast.runRateUsdPerDay, 'forecast.runRateUsdPerDay'),
      daysMeasured: num(forecast.daysMeasured, 'forecast.daysMeasured'),
      month: str(forecast.month, 'forecast.month'),
      unpricedCalls: num(forecast.unpricedCalls ?? 0, 'forecast.unpricedCalls'),
    },
    costUsd: numOrNull(body.costUsd, 'costUsd'),
    tasks: num(body.tasks, 'tasks'),
    successfulTasks: num(body.successfulTasks, 'successfulTasks'),
    unpricedOnlyTasks: num(body.unpricedOnlyTasks ?? 0, 'unpricedOnlyTasks'),
    unpricedOnlySuccessfulTasks: num(
      body.unpricedOnlySuccessfulTasks ?? 0,
      'unpricedOnlySuccessfulTasks',
    ),
    costPerTaskUsd: numOrNull(body.costPerTaskUsd, 'costPerTaskUsd'),
    costPerSuccessfulTaskUsd: numOrNull(body.costPerSuccessfulTaskUsd, 'costPerSuccessfulTaskUsd'),
    tasksPerDay: list(body.tasksPerDay, 'tasksPerDay').map((item, index) => {
      const row = record(item, `tasksPerDay[${index}]`)
      return {
        day: str(row.day, `tasksPerDay[${index}].day`),
        tasks: num(row.tasks, `tasksPerDay[${index}].tasks`),
        successfulTasks: num(row.successfulTasks, `tasksPerDay[${index}].successfulTasks`),
        costUsd: numOrNull(row.costUsd, `tasksPerDay[${index}].costUsd`),
        unpricedCalls: num(row.unpricedCalls ?? 0, `tasksPerDay[${index}].unpricedCalls`),
      }
    }),
    topTaskTypes: list(body.topTaskTypes, 'topTaskTypes').map((item, index) => {
      const row = record(item, `topTaskTypes[${index}]`)
      return {
        name: str(row.name, `topTaskTypes[${index}].name`),
        tasks: num(row.tasks, `topTaskTypes[${index}].tasks`),
        costUsd: numOrNull(row.costUsd, `topTaskTypes[${index}].costUsd`),
        unpricedCalls: num(row.unpricedCalls ?? 0, `topTaskTypes[${index}].unpricedCalls`),
      }
    }),
    topModels: list(body.topModels, 'topModels').map((item, index) => {
      const row = record(item, `topModels[${index}]`)
      return {
        provider: str(row.provider, `topModels[${index}].provider`),
        model: str(row.model, `topModels[${index}].model`),
        calls: num(row.calls, `topModels[${index}].calls`),
        costUsd: numOrNull(row.costUsd, `topModels[${index}].costUsd`),
        unpricedCalls: num(row.unpricedCalls ?? 0, `topModels[${index}].unpricedCalls`),
      }
    }),
    unpriced: {
      calls: num(unpriced.calls, 'unpriced.calls'),
      totalCalls: num(unpriced.totalCalls, 'unpriced.totalCalls'),
      share: numOrNull(unpriced.share, 'unpriced.share'),
    },
  }
}

export const SHOWBACK_DIMENSIONS = [
  { value: 'team', label: 'Team' },
  { value: 'customer', label: 'Customer' },
  { value: 'feature', label: 'Feature' },
  { value: 'environment', label: 'Environment' },
  { value: 'service', label: 'Service' },
] as const
export type ShowbackDimension = (typeof SHOWBACK_DIMENSIONS)[number]['value']

export interface ShowbackRow {
  key: string
  month: string | null
  /** Null when none of these tasks' calls could be priced. */
  costUsd: number | null
  tasks: number
  unpricedCalls: number
  share: number | null
}

export interface Showback {
  /** False when the dimension is not mapped to an attribute yet. */
  mapped: boolean
  /** The mapped attribute (null for the column dimensions and unmapped ones). */
  attributeKey: string | null
  totalCostUsd: number | null
  totalTasks: number
  rows: ShowbackRow[]
}

export function decodeShowback(json: unknown): Showback {
  const body = record(json, 'response')
  return {
    mapped: body.mapping !== null && body.mapping !== undefined,
    attributeKey:
      body.mapping !== null && typeof body.mapping === 'object'
        ? (((body.mapping as Record<string, unknown>).attributeKey as string | undefined) ?? null)
        : null,
    totalCostUsd: numOrNull(body.totalCostUsd, 'totalCostUsd'),
    totalTasks: num(body.totalTasks, 'totalTasks'),
    rows: list(body.rows, 'rows').map((item, index) => {
      const row = record(item, `rows[${index}]`)
      return {
        key: str(row.key, `rows[${index}].key`),
        month: row.month === undefined ? null : str(row.month, `rows[${index}].month`),
        costUsd: numOrNull(row.costUsd, `rows[${index}].costUsd`),
        tasks: num(row.tasks, `rows[${index}].tasks`),
        unpricedCalls: num(row.unpricedCalls, `rows[${index}].unpricedCalls`),
        share: numOrNull(row.share, `rows[${index}].share`),
      }
    }),
  }
}

export const CHANGE_PARTS = [
  { name: 'callsPerTask', label: 'More calls per task' },
  { name: 'modelMix', label: 'Model change or mix' },
  { name: 'promptLength', label: 'Longer prompts' },
  { name: 'cacheHits', label: 'Lost cache hits' },
  { name: 'outputAndOther', label: 'Output and other' },
  { name: 'toolFees', label: 'Tool fees' },
] as const
export type ChangePart = (typeof CHANGE_PARTS)[number]['name']

export interface GroupFigures {
  group: string
  tasks: number
  callsPerTask: number | null
  inputTokensPerCall: number | null
  cacheHitShare: number | null
  topModel: string | null
}

export interface RegressionRow {
  taskName: string
  current: GroupFigures
  baseline: GroupFigures | null
  costPerTaskUsd: number
  baselineCostPerTaskUsd: number | null
  changeUsd: number | null
  changeShare: number | null
  parts: Record<ChangePart, number> | null
}

export interface Regressions {
  method: string
  rows: RegressionRow[]
}

function decodeFigures(value: unknown, path: string): GroupFigures {
  const row = record(value, path)
  return {
    group: str(row.group, `${path}.group`),
    tasks: num(row.tasks, `${path}.tasks`),
    callsPerTask: numOrNull(row.callsPerTask, `${path}.callsPerTask`),
    inputTokensPerCall: numOrNull(row.inputTokensPerCall, `${path}.inputTokensPerCall`),
    cacheHitShare: numOrNull(row.cacheHitShare, `${path}.cacheHitShare`),
    topModel: row.topModel === null ? null : str(row.topModel, `${path}.topModel`),
  }
}

export function decodeRegressions(json: unknown): Regressions {
  const body = record(json, 'response')
  return {
    method: str(body.method, 'method'),
    rows: list(body.rows, 'rows').map((item, index) => {
      const path = `rows[${index}]`
      const row = record(item, path)
      const parts = row.parts === null ? null : record(row.parts, `${path}.parts`)
      return {
        taskName: str(row.taskName, `${path}.taskName`),
        current: decodeFigures(row.current, `${path}.current`),
        baseline: row.baseline === null ? null : decodeFigures(row.baseline, `${path}.baseline`),
        costPerTaskUsd: num(row.costPerTaskUsd, `${path}.costPerTaskUsd`),
        baselineCostPerTaskUsd: numOrNull(
          row.baselineCostPerTaskUsd,
          `${path}.baselineCostPerTaskUsd`,
        ),
        changeUsd: numOrNull(row.changeUsd, `${path}.changeUsd`),
        changeShare: numOrNull(row.changeShare, `${path}.changeShare`),
        parts:
          parts === null
            ? null
            : (Object.fromEntries(
                CHANGE_PARTS.map((part) => [
                  part.name,
                  num(parts[part.name], `${path}.parts.${part.name}`),
                ]),
              ) as Record<ChangePart, number>),
      }
    }),
  }
}

export interface DimensionMapping {
  dimension: 'team' | 'customer' | 'feature'
  source: 'span' | 'resource' | 'any'
  attributeKey: string | null
}

export function decodeDimensions(json: unknown): DimensionMapping[] {
  return list(record(json, 'response').dimensions, 'dimensions').map((item, index) => {
    const row = record(item, `dimensions[${index}]`)
    return {
      dimension: str(
        row.dimension,
        `dimensions[${index}].dimension`,
      ) as DimensionMapping['dimension'],
      source: str(row.source, `dimensions[${index}].source`) as DimensionMapping['source'],
      attributeKey:
        row.attributeKey === null
          ? null
          : str(row.attributeKey, `dimensions[${index}].attributeKey`),
    }
  })
}

export async function fetchOverview(params: Params, signal?: AbortSignal): Promise<Overview> {
  return decodeOverview(await requestJson(apiPath('/overview', { ...params }), { signal }))
}

export async function fetchShowback(params: Params, signal?: AbortSignal): Promise<Showback> {
  return decodeShowback(await requestJson(apiPath('/showback', { ...params }), { signal }))
}

export async function fetchRegressions(params: Params, signal?: AbortSignal): Promise<Regressions> {
  return decodeRegressions(await requestJson(apiPath('/regressions', { ...params }), { signal }))
}

export async function fetchDimensions(signal?: AbortSignal): Promise<DimensionMapping[]> {
  return decodeDimensions(await requestJson(apiPath('/settings/dimensions'), { signal }))
}

export async function saveDimensions(mappings: DimensionMapping[]): Promise<DimensionMapping[]> {
  return decodeDimensions(
    await requestJson(apiPath('/settings/dimensions'), {
      method: 'PUT',
      body: { dimensions: mappings },
    }),
  )
}

/** The biggest issued recommendation, from `GET /api/v1/recommendations`. */
export interface TopRecommendation {
  taskName: string
  step: string
  currentModel: string
  suggestedModel: string
  monthlySavingsUsd: number
  /** Never shown without it: `observed` or `replay` (a `prior` is never issued). */
  evidence: string
}

/**
 * The issued recommendation (status `recommended`) with the largest monthly savings, or null.
 * Rows that need evidence or are advised against carry no savings claim for the overview.
 */
export async function fetchTopRecommendation(
  params: Params,
  signal?: AbortSignal,
): Promise<TopRecommendation | null> {
  const json = await requestJson(
    apiPath('/recommendations', { from: params.from, to: params.to }),
    { signal },
  )
  const rows = list(record(json, 'response').recommendations, 'recommendations').flatMap(
    (item, index) => {
      const row = record(item, `recommendations[${index}]`)
      if (row.status !== 'recommended') return []
      return [
        {
          taskName: str(row.taskName, `recommendations[${index}].taskName`),
          step: str(row.step ?? '', `recommendations[${index}].step`),
          currentModel: str(row.currentModel, `recommendations[${index}].currentModel`),
          suggestedModel: str(row.suggestedModel, `recommendations[${index}].suggestedModel`),
          monthlySavingsUsd: num(
            row.monthlySavingsUsd,
            `recommendations[${index}].monthlySavingsUsd`,
          ),
          evidence: str(row.evidence, `recommendations[${index}].evidence`),
        },
      ]
    },
  )
  return [...rows].sort((a, b) => b.monthlySavingsUsd - a.monthlySavingsUsd)[0] ?? null
}
