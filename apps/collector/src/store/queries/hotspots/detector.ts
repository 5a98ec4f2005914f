import type { ClickHouseClient } from '@clickhouse/client'
import { usdToPico } from '@agentmeter/core'
import type { ExploreFilters } from '../explore/filters'
import type { RawInterval } from '../../rollups/plan'
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
  /**
   * A cache cause's row before pricing: the provider and the token counts, priced once per
   * (row key, day) after rows of the same key are summed (`priceCacheRows`), because the
   * saving is clipped at zero and so does not add up across parts. `wastedPico` is 0 until then.
   */
  cacheTokens?: { provider: string; missed: bigint; written: bigint }
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
  /**
   * The stretches whose calls are priced (default the whole range). Every other span within
   * `CONTEXT_BEFORE_SECONDS` before and `CONTEXT_AFTER_SECONDS` after is read as context only.
   */
  target?: readonly RawInterval[]
  /** Rows per UTC day (the default, `day` = `YYYY-MM-DD`) or per hour (for the parts). */
  bucket?: 'day' | 'hour'
}

/**
 * How far around a call a detector looks to decide about it: the verdict on a call depends only
 * on the spans within this bound of it, never on where the queried range starts or ends, so a
 * range's hotspots are the sum of its hours' (`store/queries/hotspots/parts.ts`). Two hours
 * back: the longest prompt-cache TTL (1 h) and a repeat of a call that was itself decided over
 * the hour before it. Two hours ahead: the later calls of a task that carry a tool result
 * again, and a loop's later repetitions. The duplicate window widens the lookback when larger.
 */
export const CONTEXT_BEFORE_SECONDS = 7200
/** Exact duplicates across tasks count within this window unless the query says otherwise. */
export const DEFAULT_DUPLICATE_WINDOW_SECONDS = 3600
export const CONTEXT_AFTER_SECONDS = 7200
/** A task's earlier call, tool call or answer is compared only within this long before. */
export const TASK_GAP_SECONDS = 3600
/** The same in milliseconds, for window frames ordered by `MILLIS(...)`. */
export const TASK_GAP_MILLIS = TASK_GAP_SECONDS * 1000
/** Distinct answers of a repeated request count within this long on either side of it. */
export const ANSWER_SPAN_SECONDS = 3600

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
  const target = query.target ?? [{ ...query.range, inclusive: true }]
  const params: Record<string, unknown> = {}
  const stretches = target.map((interval, i) => {
    params[`targetFrom${i}`] = interval.from
    params[`targetTo${i}`] = interval.to
    return `(COLUMN >= {targetFrom${i}:DateTime64(9, 'UTC')} AND COLUMN ${interval.inclusive ? '<=' : '<'} {targetTo${i}:DateTime64(9, 'UTC')})`
  })
  const targetSql = stretches.length === 0 ? '0' : `(${stretches.join(' OR ')})`
  const before = Math.max(CONTEXT_BEFORE_SECONDS, query.duplicateWindowSeconds) * 1000
  const contexts = contextStretches(target, before, CONTEXT_AFTER_SECONDS * 1000)
  const contextSql = contexts.map((stretch, i) => {
    params[`contextFrom${i}`] = stretch.from
    params[`contextTo${i}`] = stretch.to
    return `(start_time >= {contextFrom${i}:DateTime64(9, 'UTC')} AND start_time <= {contextTo${i}:DateTime64(9, 'UTC')})`
  })
  const bucket = query.bucket === 'hour' ? 'toStartOfHour' : 'toDate'
  return {
    query: withExampleLimit(sql, query.exampleLimit)
      .replaceAll('EXPLORE_TASKS', scope.sql)
      .replaceAll('CONTEXT_TIME', contextSql.length === 0 ? '0' : `(${contextSql.join(' OR ')})`)
      .replace(/TARGET\(([\w.]+)\)/g, (_match, column: string) =>
        targetSql.replaceAll('COLUMN', column),
      )
      .replace(/BUCKET\(([\w.]+)\)/g, (_match, column: string) => `toString(${bucket}(${column}))`),
    query_params: {
      projectId: query.projectId,
      ...query.range,
      window: query.duplicateWindowSeconds,
      ...scope.params,
      ...params,
      claimed: claimedParam(query.claimedSpanIds),
    },
  }
}

/** The target stretches widened by the context on each side, overlapping ones merged. */
function contextStretches(
  target: readonly RawInterval[],
  beforeMillis: number,
  afterMillis: number,
): Array<{ from: string; to: string }> {
  const millis = (text: string) => Date.parse(`${text.replace(' ', 'T')}Z`)
  const literal = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
  const spans = target
    .map((interval) => [millis(interval.from) - beforeMillis, millis(interval.to) + afterMillis])
    .sort((a, b) => a[0]! - b[0]!)
  const merged: number[][] = []
  for (const [from, to] of spans) {
    const last = merged[merged.length - 1]
    if (last && from! <= last[1]!) last[1] = Math.max(last[1]!, to!)
    else merged.push([from!, to!])
  }
  return merged.map(([from, to]) => ({ from: literal(from!), to: literal(to!) }))
}

export type Detector = (client: ClickHouseClient, query: DetectorQuery) => Promise<DetectorRow[]>

/**
 * Bounds every detector's scan by tenant and time (the target stretches and their context),
 * over the deduplicated spans, and to the tasks the Explore filters select (`EXPLORE_TASKS`).
 * Only calls in the target (`TARGET(column)`, see `detectorStatement`) are priced.
 */
export const SCOPE = `project_id = {projectId:String} AND CONTEXT_TIME AND EXPLORE_TASKS`

/** Milliseconds since the epoch (frame offsets must fit 32 bits): the order key of time-bounded window frames. */
export const MILLIS = (column: string) => `toUnixTimestamp64Milli(${column})`

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
