import type { ClickHouseClient } from '@clickhouse/client'
import { usdToPico } from '@agentmeter/core'
import type { ExploreFilters } from '../explore/filters'
import type { TimeRange } from '../time-range'
import { claimedParam, hotspotTaskScope } from './scope'

/** The kinds of repeated work the contract names (`GET /api/v1/hotspots`). */
export const HOTSPOT_CAUSES = [
  'duplicate_llm_call',
  'repeated_tool_call',
  'missed_prompt_cache',
  'near_duplicate_prompt',
  'loop',
] as const
export type HotspotCause = (typeof HOTSPOT_CAUSES)[number]

/** What a detector reports for one (cause, task name, step, model, tool, detail, day). */
export interface DetectorRow {
  cause: HotspotCause
  taskName: string
  step: string
  model: string
  tool: string
  /** Finer cause: `deterministic`, `system`, `tools`, `history`, `ttl`, `unused_cache`, ... */
  detail: string
  /** UTC day (YYYY-MM-DD) the wasted calls started. */
  day: string
  occurrences: number
  wastedPico: bigint
  exampleTaskIds: string[]
  exampleSpanIds: string[]
  /** The task of each example span, position by position. */
  exampleSpanTasks: string[]
  /** Every LLM call this row priced at its whole cost (empty for partial causes). */
  claimedSpanIds?: string[]
}

export interface DetectorQuery {
  projectId: string
  range: TimeRange
  /** Cross-task window for exact duplicates, in seconds. */
  duplicateWindowSeconds: number
  /** How many example task and span ids each row keeps. */
  exampleLimit: number
  /** The Explore filters: only the tasks they select are searched for waste. */
  filters?: ExploreFilters
  /**
   * LLM calls already priced whole by a cause of higher precedence (see `DETECTORS`): a
   * detector prices no part of them again, so each wasted dollar is counted once.
   */
  claimedSpanIds?: ReadonlySet<string>
}

/**
 * Puts the example limit into a detector's SQL: aggregate-function parameters must be literals,
 * so the validated integer is written in where the SQL says `EXAMPLES`.
 */
export function withExampleLimit(sql: string, limit: number): string {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`bad example limit ${limit}`)
  return sql.replaceAll('EXAMPLES', String(limit))
}

/**
 * A detector's SQL and parameters for a query: the example limit written in, `EXPLORE_TASKS`
 * replaced by the filters' task condition (bound values, never spliced) and the claimed calls
 * bound as `{claimed:String}`.
 */
export function detectorStatement(
  sql: string,
  query: DetectorQuery,
): { query: string; query_params: Record<string, unknown> } {
  const scope = hotspotTaskScope(query.filters ?? {})
  return {
    query: withExampleLimit(sql, query.exampleLimit).replaceAll('EXPLORE_TASKS', scope.sql),
    query_params: {
      projectId: query.projectId,
      ...query.range,
      window: query.duplicateWindowSeconds,
      ...scope.params,
      claimed: claimedParam(query.claimedSpanIds),
    },
  }
}

export type Detector = (client: ClickHouseClient, query: DetectorQuery) => Promise<DetectorRow[]>

/**
 * Bounds every detector's scan by tenant and time, over the deduplicated spans, and to the tasks
 * the Explore filters select (`EXPLORE_TASKS`, see `detectorStatement`).
 */
export const SCOPE = `project_id = {projectId:String}
  AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')}
  AND EXPLORE_TASKS`

/** True for a call no cause of higher precedence priced whole (`DetectorQuery.claimedSpanIds`). */
export const UNCLAIMED = (column: string) =>
  `${column} NOT IN (SELECT arrayJoin(splitByChar(',', {claimed:String})))`

/** The model a call was billed as (the served one when known). */
export const MODEL = `if(response_model != '', response_model, request_model)`

/** Row shape every detector's final SELECT produces (money and counts as text). */
export interface RawDetectorRow {
  task_name: string
  step: string
  model: string
  tool: string
  detail: string
  day: string
  occurrences: string
  wasted: string | null
  example_tasks: string[]
  example_spans: string[]
  example_span_tasks: string[]
  claimed_spans?: string[]
}

export async function runDetectorSql(
  client: ClickHouseClient,
  cause: HotspotCause,
  sql: string,
  query: DetectorQuery,
): Promise<DetectorRow[]> {
  const result = await client.query({ ...detectorStatement(sql, query), format: 'JSONEachRow' })
  const rows = await result.json<RawDetectorRow>()
  return rows.map((row) => toDetectorRow(cause, row))
}

export function toDetectorRow(cause: HotspotCause, row: RawDetectorRow): DetectorRow {
  return {
    cause,
    taskName: row.task_name,
    step: row.step,
    model: row.model,
    tool: row.tool,
    detail: row.detail,
    day: row.day,
    occurrences: Number(row.occurrences),
    wastedPico: row.wasted === null ? 0n : usdToPico(row.wasted),
    exampleTaskIds: row.example_tasks,
    exampleSpanIds: row.example_spans,
    exampleSpanTasks: row.example_span_tasks,
    ...(row.claimed_spans ? { claimedSpanIds: row.claimed_spans } : {}),
  }
}
