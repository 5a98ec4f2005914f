import type { ClickHouseClient } from '@clickhouse/client'
import { picoToUsd, usdToPico } from '@agentmeter/core'
import type { ExploreFilters } from '../explore/filters'
import type { TimeRange } from '../time-range'
import { detectCacheBreakers } from './cache-breakers'
import { rawPlan } from '../../rollups/plan'
import { priceCacheRows } from './cache-pricing'
import { planHotspotRange, readParts, sumRows } from './parts'
import { hotspotTaskScope } from './scope'
import {
  DEFAULT_DUPLICATE_WINDOW_SECONDS,
  detectorStatement,
  type Detector,
  type DetectorQuery,
  type DetectorRow,
  type HotspotCause,
} from './detector'
import { detectDuplicateLlmCalls } from './duplicate-llm-calls'
import { fixSuggestion } from './fix-suggestion'
import { detectLoops } from './loops'
import { detectMissedPromptCache } from './missed-prompt-cache'
import { detectNearDuplicatePrompts } from './near-duplicate-prompts'
import { detectRepeatedToolCalls } from './repeated-tool-calls'

export { HOTSPOT_CAUSES, type HotspotCause } from './detector'

/** One hotspot of `GET /api/v1/hotspots`: the contract's fields first, then the extras. */
export interface Hotspot {
  cause: HotspotCause
  taskName: string
  step: string
  model: string
  tool: string
  occurrences: number
  wastedUsd: number
  exampleTaskIds: string[]
  /** Finer cause (for example which part of the prompt broke the cache). */
  detail: string
  /**
   * Wasted dollars as a share of all priced spend in the range, rounded down to six decimals
   * (from the exact pico-dollar sums); null without spend.
   */
  shareOfSpend: number | null
  exampleSpanIds: string[]
  /** The spans behind the hotspot with their tasks, for links. */
  examples: Array<{ taskId: string; spanId: string }>
  /** Wasted dollars per UTC day, oldest first. */
  trend: Array<{ day: string; wastedUsd: number }>
  fix: string
}

export interface HotspotsResult {
  totalWastedUsd: number
  totalSpendUsd: number
  wastedShare: number | null
  hotspots: Hotspot[]
}

export interface HotspotsQuery {
  projectId: string
  range: TimeRange
  /** Exact duplicates across tasks count when they come within this many seconds. */
  duplicateWindowSeconds?: number
  /** Example task and span ids per hotspot (default 5). */
  exampleLimit?: number
  /** The Explore filters: only the tasks they select (spend and waste alike). */
  filters?: ExploreFilters
  /** False reads every hour from the spans (what the parts save, and the reference). */
  useRollups?: boolean
}

/**
 * All detectors, in order of precedence: each prices its own cause, and no dollar is counted
 * by two of them. Exact duplicates, near duplicates and loop decisions price an LLM call whole
 * (the call need not have been made); a call one of them priced is claimed, and no later
 * detector prices any part of it again: not as another whole-call cause, not as re-read tool
 * tokens, not as a missed or broken prompt cache. So a call that is both a near duplicate and a
 * cache breaker counts once, as a near duplicate, at its whole cost.
 */
export const DETECTORS: readonly Detector[] = [
  detectDuplicateLlmCalls,
  detectNearDuplicatePrompts,
  detectLoops,
  detectRepeatedToolCalls,
  detectMissedPromptCache,
  detectCacheBreakers,
]

const DEFAULT_EXAMPLES = 5

/**
 * Runs every detector over the query's target (one after another: the embedded ClickHouse is
 * shared), in order of precedence, each told the calls the ones before it priced whole. The
 * rows are not priced yet where they carry cache tokens (`priceCacheRows`).
 */
export async function runDetectors(
  client: ClickHouseClient,
  query: DetectorQuery,
): Promise<DetectorRow[]> {
  const claimed = new Set<string>()
  const found: DetectorRow[] = []
  for (const detect of DETECTORS) {
    const rows = await detect(client, { ...query, claimedSpanIds: claimed })
    for (const row of rows) for (const id of row.claimedSpanIds ?? []) claimed.add(id)
    found.push(...rows)
  }
  return found
}

/**
 * Ranks the hotspots of a range by dollars wasted. Whole hours whose parts are current are
 * read from `hotspot_parts`; the rest of the range is searched on the spans. The parts hold
 * the default duplicate window and no filter, so another window, a filter or
 * `useRollups: false` reads everything from the spans. Money is summed in pico-dollars and
 * becomes a JSON number only here, at the edge.
 */
export async function queryHotspots(
  client: ClickHouseClient,
  query: HotspotsQuery,
): Promise<HotspotsResult> {
  const exampleLimit = query.exampleLimit ?? DEFAULT_EXAMPLES
  const window = query.duplicateWindowSeconds ?? DEFAULT_DUPLICATE_WINDOW_SECONDS
  const filters = query.filters ?? {}
  const partsApply =
    query.useRollups !== false &&
    window === DEFAULT_DUPLICATE_WINDOW_SECONDS &&
    Object.keys(filters).length === 0
  const empty = { totalWastedUsd: 0, totalSpendUsd: 0, wastedShare: null, hotspots: [] }
  if (Object.keys(filters).length > 0 && !(await selectsAnyTask(client, query, filters))) {
    return empty
  }
  const plan = partsApply
    ? await planHotspotRange(client, query.projectId, query.range)
    : rawPlan(query.projectId, query.range)
  const detectorQuery: DetectorQuery = {
    projectId: query.projectId,
    range: query.range,
    duplicateWindowSeconds: window,
    exampleLimit,
    filters,
    target: plan.raw,
  }
  const parts = await readParts(client, plan, exampleLimit)
  // Every row is counted at a call of the target, so a target without spans has none (the
  // range's inclusive last instant, typically): the detectors' context scans are spared.
  const searched = plan.raw.length > 0 && (await targetHasSpans(client, detectorQuery))
  const found = searched ? await runDetectors(client, detectorQuery) : []
  const rows = withOccurrences(priceCacheRows(sumRows([...parts.rows, ...found], exampleLimit)))
  const spend = parts.spendPico + (searched ? await targetSpendPico(client, detectorQuery) : 0n)
  const hotspots = mergeHotspots(rows, spend, exampleLimit)
  const wasted = rows.reduce((sum, row) => sum + row.wastedPico, 0n)
  return {
    totalWastedUsd: Number(picoToUsd(wasted)),
    totalSpendUsd: Number(picoToUsd(spend)),
    wastedShare: share(wasted, spend),
    hotspots,
  }
}

/** Whether the filters select any task of the range (six detector passes spared if not). */
async function selectsAnyTask(
  client: ClickHouseClient,
  query: HotspotsQuery,
  filters: ExploreFilters,
): Promise<boolean> {
  const scope = hotspotTaskScope(filters)
  const result = await client.query({
    query: `SELECT 1 AS found FROM spans
      WHERE project_id = {projectId:String}
        AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')}
        AND ${scope.sql}
      LIMIT 1`,
    query_params: { projectId: query.projectId, ...query.range, ...scope.params },
    format: 'JSONEachRow',
  })
  return (await result.json()).length > 0
}

async function targetHasSpans(client: ClickHouseClient, query: DetectorQuery): Promise<boolean> {
  const result = await client.query({
    ...detectorStatement(
      `SELECT 1 AS found FROM spans
      WHERE project_id = {projectId:String} AND TARGET(start_time) AND EXPLORE_TASKS LIMIT 1`,
      query,
    ),
    format: 'JSONEachRow',
  })
  return (await result.json()).length > 0
}

/** All spend (priced calls and tool fees) of the query's target stretches. */
export async function targetSpendPico(
  client: ClickHouseClient,
  query: DetectorQuery,
): Promise<bigint> {
  const result = await client.query({
    ...detectorStatement(
      `SELECT toString(sumIf(cost_usd, priced) + sum(ifNull(tool_cost_usd, toDecimal128(0, 12))))
        AS spend
      FROM spans FINAL
      WHERE project_id = {projectId:String} AND TARGET(start_time) AND EXPLORE_TASKS`,
      query,
    ),
    format: 'JSONEachRow',
  })
  // NULL when no span is in scope (a filter that selects nothing): no spend, not an error.
  const [row] = await result.json<{ spend: string | null }>()
  return row?.spend ? usdToPico(row.spend) : 0n
}

/**
 * `part / whole` rounded down to millionths, computed on the exact integers, so a share never
 * reads larger than it is (and a hotspot's share is never above the total's).
 */
function share(part: bigint, whole: bigint): number | null {
  if (whole <= 0n) return null
  return Number((part * 1_000_000n) / whole) / 1_000_000
}

function hotspotKey(row: DetectorRow): string {
  return [row.cause, row.taskName, row.step, row.model, row.tool, row.detail].join('\u0000')
}

/**
 * Drops the rows of hotspots without occurrences in the range: costs counted at a later call
 * (a repeated tool result it re-read) whose repeat lies before the range.
 */
export function withOccurrences(rows: readonly DetectorRow[]): DetectorRow[] {
  const counts = new Map<string, number>()
  for (const row of rows)
    counts.set(hotspotKey(row), (counts.get(hotspotKey(row)) ?? 0) + row.occurrences)
  return rows.filter((row) => (counts.get(hotspotKey(row)) ?? 0) > 0)
}

/** Folds per-day detector rows into one hotspot per (cause, task, step, model, tool, detail). */
export function mergeHotspots(
  rows: readonly DetectorRow[],
  spendPico: bigint,
  exampleLimit = DEFAULT_EXAMPLES,
): Hotspot[] {
  const groups = new Map<string, { rows: DetectorRow[] }>()
  for (const row of rows) {
    const key = hotspotKey(row)
    const group = groups.get(key) ?? { rows: [] }
    group.rows.push(row)
    groups.set(key, group)
  }
  const hotspots: Array<Hotspot & { pico: bigint }> = []
  for (const { rows: members } of groups.values()) {
    // Rows without occurrences carry only costs counted elsewhere in time (a repeated tool
    // result re-read by a later call): with no repeat in the range, there is no hotspot.
    if (members.every((row) => row.occurrences <= 0)) continue
    const first = members[0]!
    const pico = members.reduce((sum, row) => sum + row.wastedPico, 0n)
    const byDay = new Map<string, bigint>()
    for (const row of members) byDay.set(row.day, (byDay.get(row.day) ?? 0n) + row.wastedPico)
    hotspots.push({
      cause: first.cause,
      taskName: first.taskName,
      step: first.step,
      model: first.model,
      tool: first.tool,
      occurrences: members.reduce((sum, row) => sum + row.occurrences, 0),
      wastedUsd: Number(picoToUsd(pico)),
      exampleTaskIds: [...new Set(members.flatMap((row) => row.exampleTaskIds))].slice(
        0,
        exampleLimit,
      ),
      detail: first.detail,
      shareOfSpend: share(pico, spendPico),
      exampleSpanIds: [...new Set(members.flatMap((row) => row.exampleSpanIds))].slice(
        0,
        exampleLimit,
      ),
      examples: members
        .flatMap((row) =>
          row.exampleSpanIds.map((spanId, i) => ({
            taskId: row.exampleSpanTasks[i] ?? '',
            spanId,
          })),
        )
        .slice(0, exampleLimit),
      trend: [...byDay.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([day, value]) => ({ day, wastedUsd: Number(picoToUsd(value)) })),
      fix: fixSuggestion(first.cause, first.detail, first.tool, first.step),
      pico,
    })
  }
  hotspots.sort((a, b) => (a.pico === b.pico ? 0 : a.pico > b.pico ? -1 : 1))
  return hotspots.map(({ pico: _pico, ...hotspot }) => hotspot)
}
