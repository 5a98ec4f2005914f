import type { PriceBook } from '../pricing/price-book'
import { findCapability, MODEL_CAPABILITIES, unmetNeed, type ModelCapability } from './capabilities'
import { monthlySavings, projectMix, tokenRates, type Projection } from './projection'
import {
  observedQuality,
  priorQuality,
  replayQuality,
  type QualityEstimate,
  type RecommendationStatus,
} from './quality'
import type { ModelArm, StepCluster } from './step-cluster'

export type Evidence = 'observed' | 'replay' | 'prior'

/** One row of `GET /api/v1/recommendations` (quality in points of success rate). */
export interface Recommendation {
  taskName: string
  step: string
  currentModel: string
  suggestedModel: string
  currentProvider: string
  suggestedProvider: string
  evidence: Evidence
  status: RecommendationStatus
  calls: number
  currentCostUsd: number
  projectedCostUsd: number
  savingsUsd: number
  monthlySavingsUsd: number
  monthlySavingsIntervalUsd: [number, number]
  qualityDelta: number
  qualityDeltaInterval: [number, number]
  confidence: number
  sample: { current: number; suggested: number }
  neededSample: number | null
  outputRatio: number
  reason: string
}

export interface RecommendOptions {
  /** Tolerated drop of the success rate, in points. */
  tolerance: number
  /** Length of the window the cluster was read over, for the 30-day scaling. */
  windowMillis: number
  /** Prices in effect at this time (the window's end). */
  at: Date
  priceBook?: PriceBook
}

/**
 * Every switch worth showing for one step: for each model the step ran on, each cheaper model
 * it also ran on (observed), each model shadowed beside it (replay), and the closest cheaper
 * capable model of the same provider and of another one (prior, never recommended by itself).
 */
export function recommendStep(cluster: StepCluster, options: RecommendOptions): Recommendation[] {
  const out: Recommendation[] = []
  for (const arm of cluster.arms) {
    if (arm.bands.length === 0) continue
    const seen = new Set<string>([key(arm.model)])
    for (const other of cluster.arms) {
      if (seen.has(key(other.model))) continue
      seen.add(key(other.model))
      const ratio = arm.meanOutputTokens > 0 ? other.meanOutputTokens / arm.meanOutputTokens : 1
      const quality = observedQuality(arm.outcomes, other.outcomes, options.tolerance)
      const sample = { current: total(arm), suggested: total(other) }
      const row = build(
        cluster,
        arm,
        other.model,
        other.provider,
        'observed',
        ratio,
        quality,
        sample,
        options,
      )
      if (row) out.push(row)
    }
    for (const replay of cluster.replays) {
      if (key(replay.primaryModel) !== key(arm.model) || seen.has(key(replay.model))) continue
      seen.add(key(replay.model))
      const quality = replayQuality(replay.sample, arm.outcomes, options.tolerance)
      const sample = { current: total(arm), suggested: replay.pairs }
      const ratio = replay.outputRatio ?? 1
      const row = build(
        cluster,
        arm,
        replay.model,
        replay.provider,
        'replay',
        ratio,
        quality,
        sample,
        options,
      )
      if (row) out.push(row)
    }
    out.push(...priorRows(cluster, arm, seen, options))
  }
  return out
}

/** Recommended first by monthly savings, then the rest by monthly savings. */
export function sortRecommendations<T extends Recommendation>(rows: T[]): T[] {
  const rank = (row: Recommendation) => (row.status === 'recommended' ? 0 : 1)
  return [...rows].sort((x, y) => rank(x) - rank(y) || y.monthlySavingsUsd - x.monthlySavingsUsd)
}

function priorRows(
  cluster: StepCluster,
  arm: ModelArm,
  seen: Set<string>,
  options: RecommendOptions,
): Recommendation[] {
  const current = findCapability(arm.model)
  const provider = current?.provider ?? arm.provider
  const best = new Map<'same' | 'other', { model: ModelCapability; projection: Projection }>()
  for (const model of MODEL_CAPABILITIES) {
    if (seen.has(key(model.model)) || unmetNeed(model, cluster.needs)) continue
    const projection = project(arm, model.provider, model.model, 1, options)
    if (!projection || !(Number(projection.savingsUsd) > 0)) continue
    const side = model.provider === provider ? 'same' : 'other'
    const held = best.get(side)
    // The closest cheaper model (fewest tiers down), then the cheapest of those.
    if (!held || closer(model, held, projection, current)) best.set(side, { model, projection })
  }
  const rows: Recommendation[] = []
  for (const { model } of best.values()) {
    const drop = current ? model.tier - current.tier : 1
    const quality = priorQuality(drop, arm.outcomes, options.tolerance)
    const sample = { current: total(arm), suggested: 0 }
    const row = build(
      cluster,
      arm,
      model.model,
      model.provider,
      'prior',
      1,
      quality,
      sample,
      options,
    )
    if (row) rows.push(row)
  }
  return rows
}

function closer(
  model: ModelCapability,
  held: { model: ModelCapability; projection: Projection },
  projection: Projection,
  current: ModelCapability | null,
): boolean {
  const base = current?.tier ?? 1
  const drop = Math.max(0, model.tier - base)
  const heldDrop = Math.max(0, held.model.tier - base)
  if (drop !== heldDrop) return drop < heldDrop
  return Number(projection.projectedUsd) < Number(held.projection.projectedUsd)
}

function project(
  arm: ModelArm,
  provider: string,
  model: string,
  outputRatio: number,
  options: RecommendOptions,
): Projection | null {
  const table = findCapability(model)
  const priceProvider = table?.provider ?? provider
  const priceModel = table?.model ?? model
  return projectMix(
    arm.bands,
    (band) => tokenRates(priceProvider, priceModel, band, options.at, options.priceBook),
    outputRatio,
  )
}

function build(
  cluster: StepCluster,
  arm: ModelArm,
  model: string,
  provider: string,
  evidence: Evidence,
  outputRatio: number,
  quality: QualityEstimate,
  sample: { current: number; suggested: number },
  options: RecommendOptions,
): Recommendation | null {
  const projection = project(arm, provider, model, outputRatio, options)
  if (!projection || !(Number(projection.savingsUsd) > 0)) return null
  const monthly = monthlySavings(projection, options.windowMillis)
  // A switch that saves money but rests on a prior is labelled and never recommended.
  const status: RecommendationStatus = evidence === 'prior' ? 'needs_evidence' : quality.status
  return {
    taskName: cluster.taskName,
    step: cluster.step,
    currentModel: arm.model,
    suggestedModel: model,
    currentProvider: findCapability(arm.model)?.provider ?? arm.provider,
    suggestedProvider: findCapability(model)?.provider ?? provider,
    evidence,
    status,
    calls: projection.calls,
    currentCostUsd: Number(projection.currentUsd),
    projectedCostUsd: Number(projection.projectedUsd),
    savingsUsd: Number(projection.savingsUsd),
    monthlySavingsUsd: monthly.monthlyUsd,
    monthlySavingsIntervalUsd: monthly.interval,
    qualityDelta: quality.delta,
    qualityDeltaInterval: quality.interval,
    confidence: quality.confidence,
    sample,
    neededSample: quality.neededSample,
    outputRatio,
    reason: reasonOf(evidence, status, quality, sample, options.tolerance),
  }
}

function reasonOf(
  evidence: Evidence,
  status: RecommendationStatus,
  quality: QualityEstimate,
  sample: { current: number; suggested: number },
  tolerance: number,
): string {
  const low = quality.interval[0].toFixed(1)
  const needed =
    quality.neededSample === null ? null : `about ${quality.neededSample} calls per model`
  if (evidence === 'prior') {
    return needed === null
      ? 'Prior only: no call of this step ran on the suggested model, and the prior expects a drop beyond the tolerance.'
      : `Prior only: no call of this step ran on the suggested model; shadow ${needed} before switching.`
  }
  const basis =
    evidence === 'observed'
      ? `${sample.current} vs ${sample.suggested} tasks with outcomes on the two models`
      : `${sample.suggested} shadow calls weighted by their propensity`
  if (status === 'recommended') {
    return `The 95% lower bound of the quality change (${low} points) is above the tolerated -${tolerance} points, from ${basis}.`
  }
  if (status === 'not_recommended') {
    const high = quality.interval[1]
    // The verdict follows the estimate; whether the data prove the drop is the interval's top.
    if (high < -tolerance) {
      return `The suggested model does worse: ${quality.delta.toFixed(1)} points (95% interval ${low} to ${high.toFixed(1)}), beyond the tolerated -${tolerance}, from ${basis}.`
    }
    return `The evidence leans against the switch: ${quality.delta.toFixed(1)} points, beyond the tolerated -${tolerance}, but the 95% interval (${low} to ${high.toFixed(1)}) still reaches above it, from ${basis}: more outcomes on both models would settle it.`
  }
  return `Not enough evidence: the 95% lower bound is ${low} points (tolerated -${tolerance}) from ${basis}; ${needed ?? 'more data'} would decide.`
}

function total(arm: ModelArm): number {
  return arm.outcomes.successes + arm.outcomes.failures
}

function key(model: string): string {
  return findCapability(model)?.model ?? model.toLowerCase()
}
