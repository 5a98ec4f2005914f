import {
  scoreEvidence,
  type ModelArm,
  type Recommendation,
  type ScoreEvidence,
  type StepCluster,
} from '@agentmeter/core'

/** A recommendation with the score evidence beside its outcome evidence. */
export type ScoredRecommendation = Recommendation & {
  /** What the quality figures rest on: task outcomes, or scores where no outcomes were kept. */
  qualityBasis: 'outcomes' | 'scores' | 'shadow' | 'prior'
  /** The score bootstrap of an observed switch, null below MIN_SCORES scores per model. */
  scoreEvidence: ScoreEvidence | null
}

/**
 * Weighs the task scores of an observed switch (the same step on both models) beside the
 * outcomes: where the tasks carry scores and no outcomes, the score bootstrap is the quality
 * estimate (its sample and verdict); where they carry both, a recommendation stands only if
 * the scores agree, else it needs more evidence.
 */
export function withScoreEvidence(
  row: Recommendation,
  cluster: StepCluster,
  scores: ReadonlyMap<ModelArm, number[]>,
  tolerance: number,
): ScoredRecommendation {
  const basis =
    row.evidence === 'replay' ? 'shadow' : row.evidence === 'prior' ? 'prior' : 'outcomes'
  if (row.evidence !== 'observed') return { ...row, qualityBasis: basis, scoreEvidence: null }
  const armOf = (model: string) => cluster.arms.find((arm) => arm.model === model)
  const current = armOf(row.currentModel)
  const suggested = armOf(row.suggestedModel)
  const evidence =
    current && suggested
      ? scoreEvidence(scores.get(current) ?? [], scores.get(suggested) ?? [], { tolerance })
      : null
  if (!evidence) return { ...row, qualityBasis: 'outcomes', scoreEvidence: null }
  if (row.sample.current === 0 || row.sample.suggested === 0) {
    return {
      ...row,
      qualityBasis: 'scores',
      scoreEvidence: evidence,
      status: evidence.status,
      qualityDelta: evidence.delta,
      qualityDeltaInterval: evidence.interval,
      confidence: evidence.confidence,
      sample: { current: evidence.current, suggested: evidence.suggested },
      reason: `${row.reason}; quality from ${evidence.current} and ${evidence.suggested} task scores (bootstrap, no outcomes)`,
    }
  }
  if (row.status === 'recommended' && evidence.status !== 'recommended') {
    return {
      ...row,
      qualityBasis: 'outcomes',
      scoreEvidence: evidence,
      status: 'needs_evidence',
      reason: `${row.reason}; but the task scores do not rule out a drop beyond the tolerance (${evidence.interval[0].toFixed(1)} points at the 95% bound)`,
    }
  }
  return { ...row, qualityBasis: 'outcomes', scoreEvidence: evidence }
}

/** The values of a histogram of (value, count) pairs. */
export function expandScores(counts: ReadonlyArray<[number, number]>): number[] {
  const out: number[] = []
  for (const [value, count] of counts) for (let i = 0; i < count; i++) out.push(value)
  return out
}
