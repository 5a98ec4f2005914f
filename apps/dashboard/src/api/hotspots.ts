import { apiPath, requestJson } from './client'
import { ResponseShapeError } from './decode'
import type { ExploreParams } from '../prepare/explore-filters'

/** The causes `GET /api/v1/hotspots` names. */
export type HotspotCause =
  | 'duplicate_llm_call'
  | 'repeated_tool_call'
  | 'missed_prompt_cache'
  | 'near_duplicate_prompt'
  | 'loop'

/** One hotspot as the API answers it (the contract's fields and the documented extras). */
export interface Hotspot {
  cause: HotspotCause
  taskName: string
  step: string
  model: string
  tool: string
  detail: string
  occurrences: number
  wastedUsd: number
  shareOfSpend: number | null
  exampleTaskIds: string[]
  examples: Array<{ taskId: string; spanId: string }>
  trend: Array<{ day: string; wastedUsd: number }>
  fix: string
}

export interface HotspotReport {
  totalWastedUsd: number
  totalSpendUsd: number
  wastedShare: number | null
  hotspots: Hotspot[]
}

const CAUSES: readonly HotspotCause[] = [
  'duplicate_llm_call',
  'repeated_tool_call',
  'missed_prompt_cache',
  'near_duplicate_prompt',
  'loop',
]

function record(value: unknown, path: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ResponseShapeError(path, 'an object', value)
  }
  return value as Record<string, unknown>
}

function num(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new ResponseShapeError(path, 'a number', value)
  }
  return value
}

function str(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new ResponseShapeError(path, 'a string', value)
  return value
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new ResponseShapeError(path, 'an array', value)
  return value
}

function decodeHotspot(value: unknown, path: string): Hotspot {
  const row = record(value, path)
  const cause = str(row.cause, `${path}.cause`)
  if (!(CAUSES as readonly string[]).includes(cause)) {
    throw new ResponseShapeError(`${path}.cause`, `one of ${CAUSES.join(', ')}`, cause)
  }
  return {
    cause: cause as HotspotCause,
    taskName: str(row.taskName, `${path}.taskName`),
    step: str(row.step, `${path}.step`),
    model: str(row.model, `${path}.model`),
    tool: str(row.tool, `${path}.tool`),
    detail: str(row.detail, `${path}.detail`),
    occurrences: num(row.occurrences, `${path}.occurrences`),
    wastedUsd: num(row.wastedUsd, `${path}.wastedUsd`),
    shareOfSpend: row.shareOfSpend === null ? null : num(row.shareOfSpend, `${path}.shareOfSpend`),
    exampleTaskIds: list(row.exampleTaskIds, `${path}.exampleTaskIds`).map((id, i) =>
      str(id, `${path}.exampleTaskIds[${i}]`),
    ),
    examples: list(row.examples, `${path}.examples`).map((item, i) => {
      const example = record(item, `${path}.examples[${i}]`)
      return {
        taskId: str(example.taskId, `${path}.examples[${i}].taskId`),
        spanId: str(example.spanId, `${path}.examples[${i}].spanId`),
      }
    }),
    trend: list(row.trend, `${path}.trend`).map((item, i) => {
      const point = record(item, `${path}.trend[${i}]`)
      return {
        day: str(point.day, `${path}.trend[${i}].day`),
        wastedUsd: num(point.wastedUsd, `${path}.trend[${i}].wastedUsd`),
      }
    }),
    fix: str(row.fix, `${path}.fix`),
  }
}

/** Decodes the answer of `GET /api/v1/hotspots`. */
export function decodeHotspotReport(json: unknown): HotspotReport {
  const body = record(json, 'response')
  return {
    totalWastedUsd: num(body.totalWastedUsd, 'totalWastedUsd'),
    totalSpendUsd: num(body.totalSpendUsd, 'totalSpendUsd'),
    wastedShare: body.wastedShare === null ? null : num(body.wastedShare, 'wastedShare'),
    hotspots: list(body.hotspots, 'hotspots').map((row, i) => decodeHotspot(row, `hotspots[${i}]`)),
  }
}

/** `GET /api/v1/hotspots`: repeated work, ranked by dollars wasted, for the Explore filters. */
export async function fetchHotspots(
  query: ExploreParams,
  signal?: AbortSignal,
): Promise<HotspotReport> {
  return decodeHotspotReport(await requestJson(apiPath('/hotspots', { ...query }), { signal }))
}
