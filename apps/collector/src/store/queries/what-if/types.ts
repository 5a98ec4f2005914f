/** One recommendation the user accepts, as `POST /api/v1/recommendations/what-if` takes it. */
export interface AcceptedSwitch {
  taskName: string
  step: string
  /** Matches the calls' requested or served model. */
  currentModel: string
  suggestedModel: string
  /** Provider of the suggested model; resolved from the model name when absent. */
  suggestedProvider: string
  /** Suggested-to-current output length ratio: projected output = output × ratio. */
  outputRatio: number
}

export interface WhatIfInput {
  accepted: AcceptedSwitch[]
  days: number
}
