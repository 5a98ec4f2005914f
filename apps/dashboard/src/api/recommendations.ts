import { apiPath, requestJson } from './client'
import { list, num, record, ResponseShapeError, str } from './decode'
import type { ExploreParams } from '../prepare/explore-filters'

/** How strong the evidence behind a recommendation is, strongest first. */
export type Evidence = 'observed' | 'replay' | 'prior'
export type RecommendationStatus = 'recommended' | 'needs_evidence' | 'not_recommended'

/** One row of `GET /api/v1/recommendations` (the contract shared with the recommender). */
export interface Recommendation {
  taskName: string
  step: string
  currentModel: string
  currentProvider: string
  suggestedModel: string
  suggestedProvider: string
  evidence: Evidence
  status: RecommendationStatus
  calls: number
  currentCostUsd: number
  projectedCostUsd: number
  savingsUsd: number
  monthlySavingsUsd: number
  monthlySavingsIntervalUsd: [number, number]
  /** Points of success rate, −100..100, negative = worse. */
  qualityDelta: number
  qualityDeltaInterval: [number, number]
  /** One-sided probability that the quality drop is within tolerance. */
  confidence: number
  sample: { current: number; suggested: number }
  neededSample: number | null
  outputRatio: number
  reason: string
}

export interface RecommendationReport {
  from: string
  to: string
  toleranceDrop: number
  recommendations: Recommendation[]
}

const EVIDENCE: readonly Evidence[] = ['observed', 'replay', 'prior']
const STATUSES: readonly RecommendationStatus[] = [
  'recommended',
  'needs_evidence',
  'not_recommended',
]

function oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[]): T {
  const text = str(value, path)
  if (!(allowed as readonly string[]).includes(text)) {
    throw new ResponseShapeError(path, `one of ${allowed.join(', ')}`, text)
  }
  return text as T
}

function pair(value: unknown, path: string): [number, number] {
  const items = list(value, path)
  if (items.length !== 2) throw new ResponseShapeError(path, 'a [low, high] pair', value)
  return [num(items[0], `${path}[0]`), num(items[1], `${path}[1]`)]
}

function decodeRecommendation(value: unknown, path: string): Recommendation {
  const row = record(value, path)
  const sample = record(row.sample, `${path}.sample`)
  const at = (field: string) => `${path}.${field}`
  return {
    taskName: str(row.taskName, at('taskName')),
    step: str(row.step, at('step')),
    currentModel: str(row.currentModel, at('currentModel')),
    currentProvider: str(row.currentProvider ?? '', at('currentProvider')),
    suggestedModel: str(row.suggestedModel, at('suggestedModel')),
    suggestedProvider: str(row.suggestedProvider ?? '', at('suggestedProvider')),
    evidence: oneOf(row.evidence, at('evidence'), EVIDENCE),
    status: oneOf(row.status, at('status'), STATUSES),
    calls: num(row.calls, at('calls')),
    currentCostUsd: num(row.currentCostUsd, at('currentCostUsd')),
    projectedCostUsd: num(row.projectedCostUsd, at('projectedCostUsd')),
    savingsUsd: num(row.savingsUsd, at('savingsUsd')),
    monthlySavingsUsd: num(row.monthlySavingsUsd, at('monthlySavingsUsd')),
    monthlySavingsIntervalUsd: pair(row.monthlySavingsIntervalUsd, at('monthlySavingsIntervalUsd')),
    qualityDelta: num(row.qualityDelta, at('qualityDelta')),
    qualityDeltaInterval: pair(row.qualityDeltaInterval, at('qualityDeltaInterval')),
    confidence: num(row.confidence, at('confidence')),
    sample: {
      current: num(sample.current, `${path}.sample.current`),
      suggested: num(sample.suggested, `${path}.sample.suggested`),
    },
    neededSample: row.neededSample === null ? null : num(row.neededSample, at('neededSample')),
    outputRatio: num(row.outputRatio ?? 1, at('outputRatio')),
    reason: str(row.reason ?? '', at('reason')),
  }
}

/** Decodes the answer of `GET /api/v1/recommendations`. */
export function decodeRecommendationReport(json: unknown): RecommendationReport {
  const body = record(json, 'response')
  return {
    from: str(body.from, 'from'),
    to: str(body.to, 'to'),
    toleranceDrop: num(body.toleranceDrop, 'toleranceDrop'),
    recommendations: list(body.recommendations, 'recommendations').map((row, i) =>
      decodeRecommendation(row, `recommendations[${i}]`),
    ),
  }
}

/** `GET /api/v1/recommendations`: per step, a cheaper model and the evidence for it. */
/** The window and the Explore filters of a recommendations read. */
export type RecommendationsQuery = ExploreParams

export async function fetchRecommendations(
  query: RecommendationsQuery,
  signal?: AbortSignal,
): Promise<RecommendationReport> {
  const path = apiPath('/recommendations', { ...query })
  return decodeRecommendationReport(await requestJson(path, { signal }))
}
