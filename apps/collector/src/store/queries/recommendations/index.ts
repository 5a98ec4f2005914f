import type { ClickHouseClient } from '@clickhouse/client'
import {
  type ModelArm,
  recommendStep,
  sortRecommendations,
  type PriceBook,
  type StepCluster,
} from '@agentmeter/core'
import { planRange, rawPlan } from '../../rollups/plan'
import { spanConditions, taskFilter, type ExploreFilters } from '../explore/filters'
import type { TimeRange } from '../time-range'
import { clusterFields, pickClusterFields, type ClusterFields } from './cluster-fields'
import { queryReplayArms } from './replay-arms'
import { expandScores, withScoreEvidence, type ScoredRecommendation } from './score-rows'
import type { ClusterKeys, StepSource } from './sources'
import { queryArms } from './step-arms'
import { queryArmOutcomes } from './step-outcomes'
import { summarize, type StepSummary } from './step-summary'
import { trafficWindowMillis } from './traffic-window'

export type { StepSummary } from './step-summary'
export type { ClusterKeys } from './sources'

export interface RecommendationsQuery {
  projectId: string
  range: TimeRange
  taskName?: string
  /** Tolerated drop of the success rate, in points. */
  tolerance: number
  priceBook?: PriceBook
  /** Explore filters: only the tasks they select (their `name` is the task name). */
  filters?: ExploreFilters
  /** Optional cluster keys that split each step (default: neither). */
  keys?: ClusterKeys
  /** False reads every hour from the spans (for the exactness tests and the bench baseline). */
  useRollups?: boolean
}

export interface RecommendationsResult {
  from: string
  to: string
  toleranceDrop: number
  recommendations: Array<ScoredRecommendation & ClusterFields>
  steps: Array<StepSummary & ClusterFields>
}

/**
 * Routing recommendations for a project and time range: the store aggregates the step clusters
 * (three queries: the calls per step and model, the outcomes of their tasks, the shadow calls),
 * and core's pure functions price the candidates and weigh the evidence.
 */
export async function queryRecommendations(
  client: ClickHouseClient,
  query: RecommendationsQuery,
): Promise<RecommendationsResult> {
  const source = await stepSource(client, query)
  // Independent reads: the engine runs them side by side.
  const [arms, outcomes, replays, windowMillis] = await Promise.all([
    queryArms(client, source),
    queryArmOutcomes(client, source),
    queryReplayArms(client, source),
    trafficWindowMillis(client, query.projectId, query.range),
  ])

  const clusters = new Map<string, StepCluster & ClusterFields>()
  const clusterOf = (row: {
    taskName: string
    step: string
    systemHash: string
    inputBand: number
  }): StepCluster & ClusterFields => {
    const fields = clusterFields(source.keys, row.systemHash, row.inputBand)
    const id = JSON.stringify([row.taskName, row.step, fields])
    let cluster = clusters.get(id)
    if (!cluster) {
      const needs = { tools: false, structuredOutput: false, vision: false, p99InputTokens: 0 }
      cluster = { taskName: row.taskName, step: row.step, ...fields, needs, arms: [], replays: [] }
      clusters.set(id, cluster)
    }
    return cluster
  }
  const byArm = new Map<string, ModelArm>()
  for (const row of arms) {
    const cluster = clusterOf(row)
    // The step needs what any model's calls used; its p99 input is the largest of the models'
    // p99s (at least the step's own, so the context check errs on the safe side).
    cluster.needs = {
      tools: cluster.needs.tools || row.needs.tools,
      structuredOutput: cluster.needs.structuredOutput || row.needs.structuredOutput,
      vision: cluster.needs.vision || row.needs.vision,
      p99InputTokens: Math.max(cluster.needs.p99InputTokens, row.needs.p99InputTokens),
    }
    const arm: ModelArm = {
      model: row.model,
      provider: row.provider,
      calls: row.calls,
      unpricedCalls: row.unpricedCalls,
      bands: row.bands,
      meanInputTokens: row.inputTokens / row.calls,
      meanOutputTokens: row.outputTokens / row.calls,
      outcomes: { successes: 0, failures: 0 },
      errorRate: row.errors / row.calls,
      retryRate: row.retries / row.calls,
      finishReasons: row.finishReasons,
    }
    cluster.arms.push(arm)
    byArm.set(row.arm, arm)
  }
  const scores = new Map<ModelArm, number[]>()
  for (const row of outcomes) {
    const arm = byArm.get(row.arm)
    if (!arm) continue
    arm.outcomes = { successes: row.successes, failures: row.failures }
    scores.set(arm, expandScores(row.scores))
  }
  for (const row of replays) clusterOf(row).replays.push(row)
  for (const cluster of clusters.values()) {
    // The model with the most calls is read first, so equal rows keep a stable order.
    cluster.arms.sort((x, y) => y.calls - x.calls || x.model.localeCompare(y.model))
  }

  const from = isoOf(query.range.from)
  const to = isoOf(query.range.to)
  const options = {
    tolerance: query.tolerance,
    windowMillis,
    at: new Date(to),
    ...(query.priceBook ? { priceBook: query.priceBook } : {}),
  }
  const steps = [...clusters.values()]
  const rows = steps.flatMap((cluster) =>
    recommendStep(cluster, options).map((row) => ({
      ...withScoreEvidence(row, cluster, scores, query.tolerance),
      ...pickClusterFields(cluster),
    })),
  )
  return {
    from,
    to,
    toleranceDrop: query.tolerance,
    recommendations: sortRecommendations(rows),
    steps: steps.map((cluster) => ({
      ...summarize(cluster),
      ...pickClusterFields(cluster),
    })),
  }
}

/**
 * The plan of a query: current hours from the step rollups, unless filters select tasks (the
 * arm parts sum over all tasks of an hour) or the caller asks for the spans alone.
 */
export async function stepSource(
  client: ClickHouseClient,
  query: RecommendationsQuery,
): Promise<StepSource> {
  const filters = query.filters ?? {}
  // The Explore `name` is the task name; the task-level filter covers the span-level ones.
  const byTasks = spanConditions(filters).sql !== ''
  const plan =
    query.useRollups === false || byTasks
      ? rawPlan(query.projectId, query.range)
      : await planRange(client, query.projectId, query.range)
  const names = [query.taskName, filters.name].filter((name): name is string => Boolean(name))
  return {
    plan,
    // Two different names select nothing: no task name is both.
    taskName: names.length === 2 && names[0] !== names[1] ? '\u0000' : (names[0] ?? ''),
    taskFilter: taskFilter({ ...filters, name: undefined }),
    keys: query.keys ?? { promptHash: false, inputBand: false },
  }
}

function isoOf(dateTime64: string): string {
  return new Date(`${dateTime64.replace(' ', 'T')}Z`).toISOString()
}
