import type { StepNeeds } from './capabilities'
import type { BandMix } from './projection'
import type { ArmOutcomes, ReplaySample } from './quality'

/**
 * A step cluster as the store aggregates it: the step's calls per model (its arms, shadow calls
 * excluded), what the calls needed, and the shadow samples taken beside them.
 */
export interface StepCluster {
  taskName: string
  step: string
  needs: StepNeeds
  arms: ModelArm[]
  replays: ReplayArm[]
}

/** The step's real (non-shadow) calls on one model. */
export interface ModelArm {
  model: string
  provider: string
  calls: number
  unpricedCalls: number
  /** Priced calls only, by input band. */
  bands: BandMix[]
  meanInputTokens: number
  meanOutputTokens: number
  /** Outcomes of the tasks that ran the step on this model. */
  outcomes: ArmOutcomes
  errorRate: number
  retryRate: number
  finishReasons: Record<string, number>
}

/** Shadow calls of the step on `model` beside real calls on `primaryModel`. */
export interface ReplayArm {
  primaryModel: string
  model: string
  provider: string
  pairs: number
  sample: ReplaySample
  /** Mean output tokens of the shadow calls over those of their primaries. */
  outputRatio: number | null
}
