import type { ClickHouseClient } from '@clickhouse/client'
import {
  picoToUsd,
  recommendStep,
  usdToPico,
  sortRecommendations,
  type ModelArm,
  type PriceBook,
  type Recommendation,
  type StepCluster,
} from '@agentmeter/core'
import type { TimeRange } from '../time-range'
import type { ClusterQuery } from './scope'
import { queryArmBands, type ArmBandRow } from './step-arms'
import { queryStepNeeds } from './step-needs'
import { queryArmOutcomes } from './step-outcomes'
import { queryReplayArms } from './replay-arms'

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

/** A step cluster as the response shows it: what the step used, and its calls per model. */
export interface StepSummary {
  taskName: string
  step: string
  needs: StepCluster['needs']
  models: Array<{
    model: string
    provider: string
    calls: number
    unpricedCalls: number
    spendUsd: number
    meanInputTokens: number
    meanOutputTokens: number
    outputInputRatio: number | null
    finishReasons: Record<string, number>
    errorRate: number
    retryRate: number
    tasksWithOutcome: number
    successRate: number | null
  }>
}

/**
 * Routing recommendations for a project and time range: the store aggregates the step clusters
 * (four queries, each one pass over the range's spans), and core's pure functions price the
 * candidates and weigh the evidence.
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
  const bands = await queryArmBands(client, params)
  const outcomes = await queryArmOutcomes(client, params)
  const needs = await queryStepNeeds(client, params)
  const replays = await queryReplayArms(client, params)

  const clusters = new Map<string, StepCluster>()
  const clusterOf = (taskName: string, step: string): StepCluster => {
    const id = JSON.stringify([taskName, step])
    let cluster = clusters.get(id)
    if (!cluster) {
      const noNeeds = { tools: false, structuredOutput: false, vision: false, p99InputTokens: 0 }
      cluster = { taskName, step, needs: noNeeds, arms: [], replays: [] }
      clusters.set(id, cluster)
    }
    return cluster
  }
  for (const row of bands) addBand(clusterOf(row.taskName, row.step), row)
  for (const row of outcomes) {
    const arm = clusterOf(row.taskName, row.step).arms.find((each) => each.model === row.model)
    if (arm) arm.outcomes = { successes: row.successes, failures: row.failures }
  }
  for (const row of needs) clusterOf(row.taskName, row.step).needs = row
  for (const row of replays) clusterOf(row.taskName, row.step).replays.push(row)

  const from = isoOf(query.range.from)
  const to = isoOf(query.range.to)
  const options = {
    tolerance: query.tolerance,
    windowMillis: Date.parse(to) - Date.parse(from),
    at: new Date(to),
    ...(query.priceBook ? { priceBook: query.priceBook } : {}),
  }
  const finished = [...clusters.values()].map(finish)
  const rows = finished.flatMap((cluster) => recommendStep(cluster, options))
  return {
    from,
    to,
    toleranceDrop: query.tolerance,
    recommendations: sortRecommendations(rows),
    steps: finished.map(summarize),
  }
}

function summarize(cluster: StepCluster): StepSummary {
  return {
    taskName: cluster.taskName,
    step: cluster.step,
    needs: cluster.needs,
    models: cluster.arms.map((arm) => {
      const tasks = arm.outcomes.successes + arm.outcomes.failures
      return {
        model: arm.model,
        provider: arm.provider,
        calls: arm.calls,
        unpricedCalls: arm.unpricedCalls,
        spendUsd: Number(
          picoToUsd(arm.bands.reduce((sum, band) => sum + usdToPico(band.costUsd), 0n)),
        ),
        meanInputTokens: arm.meanInputTokens,
        meanOutputTokens: arm.meanOutputTokens,
        outputInputRatio:
          arm.meanInputTokens > 0 ? arm.meanOutputTokens / arm.meanInputTokens : null,
        finishReasons: arm.finishReasons,
        errorRate: arm.errorRate,
        retryRate: arm.retryRate,
        tasksWithOutcome: tasks,
        successRate: tasks > 0 ? arm.outcomes.successes / tasks : null,
      }
    }),
  }
}

/** Per-arm running totals while the bands of a model are added; means are taken in `finish`. */
function addBand(cluster: StepCluster, row: ArmBandRow): void {
  let arm = cluster.arms.find((each) => each.model === row.model)
  if (!arm) {
    arm = {
      model: row.model,
      provider: row.provider,
      calls: 0,
      unpricedCalls: 0,
      bands: [],
      meanInputTokens: 0,
      meanOutputTokens: 0,
      outcomes: { successes: 0, failures: 0 },
      errorRate: 0,
      retryRate: 0,
      finishReasons: {},
    }
    cluster.arms.push(arm)
  }
  arm.calls += row.calls
  arm.unpricedCalls += row.unpricedCalls
  arm.meanInputTokens += row.inputTokens
  arm.meanOutputTokens += row.outputTokens
  arm.errorRate += row.errors
  arm.retryRate += row.retries
  for (const [reason, count] of Object.entries(row.finishReasons)) {
    arm.finishReasons[reason] = (arm.finishReasons[reason] ?? 0) + count
  }
  if (row.mix) arm.bands.push(row.mix)
}

function finish(cluster: StepCluster): StepCluster {
  const arms = cluster.arms.map((arm): ModelArm => ({
    ...arm,
    meanInputTokens: arm.meanInputTokens / arm.calls,
    meanOutputTokens: arm.meanOutputTokens / arm.calls,
    errorRate: arm.errorRate / arm.calls,
    retryRate: arm.retryRate / arm.calls,
  }))
  // The arm with the most calls is read first, so ties between equal rows keep a stable order.
  arms.sort((x, y) => y.calls - x.calls || x.model.localeCompare(y.model))
  return { ...cluster, arms }
}

function isoOf(dateTime64: string): string {
  return new Date(`${dateTime64.replace(' ', 'T')}Z`).toISOString()
}
