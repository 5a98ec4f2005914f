import { postSpans } from '../support/recommendation-spans'
import type { TestCollector } from '../support/test-collector'
import { SCENARIOS } from './scenarios'
import { simulate, WINDOW_DAYS, WINDOW_START, type Truth } from './simulate'
import { loadTokenMixes } from './token-mix'

/** Too little evidence: fewer tasks per arm than this must never be recommended. */
export const MIN_SAMPLE = 30

/** Each scenario runs this many times with its own seed, as separate steps. */
export const REPLICATES = 3

export interface ScenarioScore {
  step: string
  evidence: string
  /** Whether a switch saves money, so that a row must exist. */
  savesMoney: boolean
  found: boolean
  status: string
  sample: { current: number; suggested: number }
  estimatedMonthlySavingsUsd: number
  actualMonthlySavingsUsd: number
  savingsRelativeError: number
  /** Savings under a tenth of the cost (see Scenario.thin). */
  thin: boolean
  estimatedMonthlyCheapUsd: number
  actualMonthlyCheapUsd: number
  cheapCostRelativeError: number
  predictedQualityDelta: number
  trueQualityDelta: number
  qualityError: number
  /** Recommended although the true drop is beyond the tolerance. */
  breach: boolean
}

export interface RecommenderReport {
  tolerance: number
  scenarios: ScenarioScore[]
  issued: number
  breaches: number
  issuedOnTooLittleEvidence: number
}

interface Rec {
  step: string
  currentModel: string
  suggestedModel: string
  evidence: string
  status: string
  monthlySavingsUsd: number
  projectedCostUsd: number
  qualityDelta: number
  sample: { current: number; suggested: number }
}

/** Posts every scenario into the collector, asks for recommendations, scores them. */
export async function evaluateRecommender(collector: TestCollector): Promise<RecommenderReport> {
  const mixes = loadTokenMixes()
  const truths: Truth[] = []
  for (let replicate = 0; replicate < REPLICATES; replicate++) {
    for (const [i, base] of SCENARIOS.entries()) {
      const scenario = {
        ...base,
        taskName: `${base.taskName}-r${replicate}`,
        step: `${base.step}-r${replicate}`,
      }
      const seed = 1000 * (replicate + 1) + i
      const { spans, truth } = simulate(scenario, mixes, seed, `r${replicate}s${i}`)
      await postSpans(collector.url, collector.apiKey, spans, 2000)
      truths.push(truth)
    }
  }
  const to = new Date(WINDOW_START.getTime() + WINDOW_DAYS * 86_400_000)
  const { body } = await collector.api<{ toleranceDrop: number; recommendations: Rec[] }>(
    `/api/v1/recommendations?from=${WINDOW_START.toISOString()}&to=${to.toISOString()}`,
  )
  const tolerance = body.toleranceDrop
  const scenarios = truths.map((truth): ScenarioScore => {
    const { scenario } = truth
    const rec = body.recommendations.find(
      (row) =>
        row.step === scenario.step &&
        row.currentModel === scenario.current &&
        row.suggestedModel === scenario.cheap &&
        row.evidence === scenario.evidence,
    )
    const estimated = rec?.monthlySavingsUsd ?? 0
    const cheap = ((rec?.projectedCostUsd ?? 0) * 30) / WINDOW_DAYS
    const predicted = rec?.qualityDelta ?? Number.NaN
    return {
      step: scenario.step,
      evidence: scenario.evidence,
      savesMoney: scenario.savesMoney !== false,
      found: rec !== undefined,
      status: rec?.status ?? 'missing',
      sample: rec?.sample ?? { current: 0, suggested: 0 },
      estimatedMonthlySavingsUsd: estimated,
      actualMonthlySavingsUsd: truth.actualMonthlySavingsUsd,
      savingsRelativeError: estimated / truth.actualMonthlySavingsUsd - 1,
      thin: scenario.thin === true,
      estimatedMonthlyCheapUsd: cheap,
      actualMonthlyCheapUsd: truth.actualMonthlyCheapUsd,
      cheapCostRelativeError: cheap / truth.actualMonthlyCheapUsd - 1,
      predictedQualityDelta: predicted,
      trueQualityDelta: truth.qualityDelta,
      qualityError: predicted - truth.qualityDelta,
      breach: rec?.status === 'recommended' && truth.qualityDelta < -tolerance,
    }
  })
  const issued = scenarios.filter((score) => score.status === 'recommended')
  return {
    tolerance,
    scenarios,
    issued: issued.length,
    breaches: issued.filter((score) => score.breach).length,
    issuedOnTooLittleEvidence: issued.filter(
      (score) => Math.min(score.sample.current, score.sample.suggested) < MIN_SAMPLE,
    ).length,
  }
}
