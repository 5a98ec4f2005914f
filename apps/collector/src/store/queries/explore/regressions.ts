import type { ClickHouseClient } from '@clickhouse/client'
import { rawTaskAggregateSql } from '../task-aggregate'
import { MIN_INSTANT, toDateTime64, type TimeRange } from '../time-range'
import {
  DECOMPOSITION_METHOD,
  decomposeCostChange,
  type ChangeParts,
  type GroupUsage,
} from './decompose'
import { taskFilter, type ExploreFilters } from './filters'

export type RegressionCompare = 'period' | 'version'

export interface GroupFigures {
  /** `current` / `previous` for periods, the release for versions. */
  group: string
  tasks: number
  callsPerTask: number | null
  inputTokensPerCall: number | null
  /** Cache reads / input tokens of the priced calls; null without input. */
  cacheHitShare: number | null
  /** The model with the most priced calls. */
  topModel: string | null
}

export interface RegressionRow {
  taskName: string
  current: GroupFigures
  /** The previous period, or the release seen before this one; null when there is none. */
  baseline: GroupFigures | null
  costPerTaskUsd: number
  baselineCostPerTaskUsd: number | null
  changeUsd: number | null
  /** Relative change; null when there is no baseline or it cost nothing. */
  changeShare: number | null
  parts: ChangeParts | null
}

export interface RegressionsReport {
  compare: RegressionCompare
  method: string
  current: { from: string; to: string }
  previous: { from: string; to: string } | null
  versionAttribute: string | null
  rows: RegressionRow[]
}

export interface RegressionsQuery {
  projectId: string
  range: TimeRange
  compare: RegressionCompare
  /** The span or resource attribute that names a release (default `service.version`). */
  versionAttribute: string
  filters: ExploreFilters
}

interface UsageRow {
  task_name: string
  grp: string
  model: string
  calls: string
  input_tokens: string
  cache_read: string
  input_cost: string
  cost: string
  tool_cost: string
}

/**
 * Cost per task by task type against the previous period of the same length (`period`), or
 * each release against the one first seen before it (`version`), each change explained by its
 * parts (`decompose.ts`). A task's group is decided by its start (period) or its release.
 */
export async function queryRegressions(
  client: ClickHouseClient,
  query: RegressionsQuery,
): Promise<RegressionsReport> {
  const span = new Date(`${query.range.to}Z`).getTime() - new Date(`${query.range.from}Z`).getTime()
  // The previous period starts no earlier than the store's first instant (a range from 1900).
  const previousFrom = toDateTime64(
    new Date(Math.max(new Date(`${query.range.from}Z`).getTime() - span, MIN_INSTANT.getTime())),
  )
  const from = query.compare === 'period' ? previousFrom : query.range.from
  const filter = taskFilter(query.filters, 't.')
  const tasks = rawTaskAggregateSql(filter.scan)
  const params = {
    projectId: query.projectId,
    from,
    to: query.range.to,
    currentFrom: query.range.from,
    versionKey: query.versionAttribute,
    ...filter.params,
  }
  const grouped =
    query.compare === 'period'
      ? `SELECT t.task_id AS task_id, t.name AS name, t.task_start AS task_start,
           if(t.task_start >= {currentFrom:DateTime64(9, 'UTC')}, 'current', 'previous') AS grp
         FROM (${tasks}) AS t WHERE ${filter.sql}`
      : `SELECT t.task_id AS task_id, t.name AS name, t.task_start AS task_start, v.version AS grp
         FROM (${tasks}) AS t
         INNER JOIN (
           SELECT task_id, anyIf(v, v != '') AS version FROM (
             SELECT task_id, if(attributes[{versionKey:String}] != '', attributes[{versionKey:String}],
               resource_attributes[{versionKey:String}]) AS v
             FROM spans FINAL
             WHERE project_id = {projectId:String}
               AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')})
           GROUP BY task_id
         ) AS v ON v.task_id = t.task_id
         WHERE ${filter.sql} AND v.version != ''`
  const run = async <T>(sql: string): Promise<T[]> =>
    (await client.query({ query: sql, query_params: params, format: 'JSONEachRow' })).json<T>()

  const groups = await run<{ name: string; grp: string; tasks: string; first: string }>(
    `SELECT name, grp, toString(count()) AS tasks, toString(min(task_start)) AS first
     FROM (${grouped}) GROUP BY name, grp ORDER BY name, min(task_start), grp`,
  )
  const usage = await run<UsageRow>(`SELECT g.name AS task_name, g.grp AS grp, s.model AS model,
      toString(sum(s.calls)) AS calls, toString(sum(s.input_tokens)) AS input_tokens,
      toString(sum(s.cache_read)) AS cache_read, toString(sum(s.input_cost)) AS input_cost,
      toString(sum(s.cost)) AS cost, toString(sum(s.tool_cost)) AS tool_cost
    FROM (
      SELECT task_id,
        if(kind = 'tool', '', if(response_model != '', response_model, request_model)) AS model,
        countIf(priced AND kind IN ('llm', 'embedding')) AS calls,
        sumIf(input_tokens, priced AND kind IN ('llm', 'embedding')) AS input_tokens,
        sumIf(cache_read_tokens, priced AND kind IN ('llm', 'embedding')) AS cache_read,
        sumIf(ifNull(input_cost_usd, toDecimal128(0, 12)), priced AND kind IN ('llm', 'embedding')) AS input_cost,
        sumIf(cost_usd, priced AND kind IN ('llm', 'embedding')) AS cost,
        sum(ifNull(tool_cost_usd, toDecimal128(0, 12))) AS tool_cost
      FROM spans FINAL
      WHERE project_id = {projectId:String}
        AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')}
        AND kind IN ('llm', 'embedding', 'tool')
      GROUP BY task_id, model
    ) AS s
    INNER JOIN (${grouped}) AS g ON g.task_id = s.task_id
    GROUP BY task_name, grp, model`)

  const rows = buildRows(groups, usage, query.compare)
  const iso = (value: string) => `${value.replace(' ', 'T')}Z`
  return {
    compare: query.compare,
    method: DECOMPOSITION_METHOD,
    current: { from: iso(query.range.from), to: iso(query.range.to) },
    previous:
      query.compare === 'period' ? { from: iso(previousFrom), to: iso(query.range.from) } : null,
    versionAttribute: query.compare === 'version' ? query.versionAttribute : null,
    rows: rows.sort((a, b) => (b.changeUsd ?? -Infinity) - (a.changeUsd ?? -Infinity)),
  }
}

function buildRows(
  groups: Array<{ name: string; grp: string; tasks: string }>,
  usage: UsageRow[],
  compare: RegressionCompare,
): RegressionRow[] {
  const usageOf = (name: string, grp: string): GroupUsage => {
    const mine = usage.filter((row) => row.task_name === name && row.grp === grp)
    const tasks = Number(groups.find((g) => g.name === name && g.grp === grp)?.tasks ?? 0)
    return {
      tasks,
      toolCostUsd: mine.reduce((sum, row) => sum + Number(row.tool_cost), 0),
      models: mine
        .filter((row) => row.model !== '' || Number(row.calls) > 0)
        .map((row) => ({
          model: row.model,
          calls: Number(row.calls),
          inputTokens: Number(row.input_tokens),
          cacheReadTokens: Number(row.cache_read),
          inputCostUsd: Number(row.input_cost),
          costUsd: Number(row.cost),
        })),
    }
  }
  const rows: RegressionRow[] = []
  for (const name of [...new Set(groups.map((g) => g.name))]) {
    // Groups arrive ordered by when they were first seen, so a release's baseline is the one
    // before it.
    const order = groups.filter((g) => g.name === name).map((g) => g.grp)
    const pairs: Array<[string | null, string]> =
      compare === 'period'
        ? order.includes('current')
          ? [[order.includes('previous') ? 'previous' : null, 'current']]
          : []
        : order.map((grp, index) => [index > 0 ? order[index - 1]! : null, grp])
    for (const [baseGroup, group] of pairs) {
      const current = usageOf(name, group)
      const base = baseGroup === null ? null : usageOf(name, baseGroup)
      const change = base && decomposeCostChange(base, current)
      const own = decomposeCostChange(current, current)
      rows.push({
        taskName: name,
        current: figures(group, current),
        baseline: base && baseGroup !== null ? figures(baseGroup, base) : null,
        costPerTaskUsd: own.costPerTaskUsd,
        baselineCostPerTaskUsd: change ? change.baselineCostPerTaskUsd : null,
        changeUsd: change ? change.changeUsd : null,
        changeShare:
          change && change.baselineCostPerTaskUsd > 0
            ? change.changeUsd / change.baselineCostPerTaskUsd
            : null,
        parts: change ? change.parts : null,
      })
    }
  }
  return rows
}

function figures(group: string, usage: GroupUsage): GroupFigures {
  const calls = usage.models.reduce((sum, model) => sum + model.calls, 0)
  const input = usage.models.reduce((sum, model) => sum + model.inputTokens, 0)
  const cached = usage.models.reduce((sum, model) => sum + model.cacheReadTokens, 0)
  const top = [...usage.models].sort((a, b) => b.calls - a.calls)[0]
  return {
    group,
    tasks: usage.tasks,
    callsPerTask: usage.tasks > 0 ? calls / usage.tasks : null,
    inputTokensPerCall: calls > 0 ? input / calls : null,
    cacheHitShare: input > 0 ? cached / input : null,
    topModel: top && top.calls > 0 ? top.model : null,
  }
}
