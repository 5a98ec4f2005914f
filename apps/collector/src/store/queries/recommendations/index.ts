import type { ClickHouseClient } from '@clickhouse/client'
import {
  type ModelArm,
  recommendStep,
  sortRecommendations,
  type PriceBook,
  type Recommendation,
  type StepCluster,
} from '@agentmeter/core'
import type { TimeRange } from '../time-range'
import { queryReplayArms } from './replay-arms'
import type { ClusterQuery } from './scope'
import { queryArms } from './step-arms'
import { queryArmOutcomes } from './step-outcomes'
import { summarize, type StepSummary } from './step-summary'

export type { StepSummary } from './step-summary'

export interface RecommendationsQuery {
  projectId: string
  range: TimeRange
  taskName?: string
  /** Tolerated drop of the success rate, in points. */
  tolerance: number
  priceBook?: PriceBook
}

export interface RecommendationsResult {
  from: string
  to: string
  toleranceDrop: number
  recommendations: Recommendation[]
  steps: StepSummary[]
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
  const params: ClusterQuery = {
    projectId: query.projectId,
    from: query.range.from,
    to: query.range.to,
    taskName: query.taskName ?? '',
  }
  const arms = await queryArms(client, params)
  const outcomes = await queryArmOutcomes(client, params)
  const replays = await queryReplayArms(client, params)

  const clusters = new Map<string, StepCluster>()
  const clusterOf = (taskName: string, step: string): StepCluster => {
    const id = JSON.stringify([taskName, step])
    let cluster = clusters.get(id)
    if (!cluster) {
      const needs = { tools: false, structuredOutput: false, vision: false, p99InputTokens: 0 }
      cluster = { taskName, step, needs, arms: [], replays: [] }
      clusters.set(id, cluster)
    }
    return cluster
  }
  const byArm = new Map<string, ModelArm>()
  for (const row of arms) {
    const cluster = clusterOf(row.taskName, row.step)
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
  for (const row of outcomes) {
    const arm = byArm.get(row.arm)
    if (arm) arm.outcomes = { successes: row.successes, failures: row.failures }
  }
  for (const row of replays) clusterOf(row.taskName, row.step).replays.push(row)
  for (const cluster of clusters.values()) {
    // The model with the most calls is read first, so equal rows keep a stable order.
    cluster.arms.sort((x, y) => y.calls - x.calls || x.model.localeCompare(y.model))
  }

  const from = isoOf(query.range.from)
  const to = isoOf(query.range.to)
  const options = {
    tolerance: query.tolerance,
    windowMillis: Date.parse(to) - Date.parse(from),
    at: new Date(to),
    ...(query.priceBook ? { priceBook: query.priceBook } : {}),
  }
  const steps = [...clusters.values()]
  const rows = steps.flatMap((cluster) => recommendStep(cluster, options))
  return {
    from,
    to,
    toleranceDrop: query.tolerance,
    recommendations: sortRecommendations(rows),
    steps: steps.map(summarize),
  }
}

function isoOf(dateTime64: string): string {
  return new Date(`${dateTime64.replace(' ', 'T')}Z`).toISOString()
}
