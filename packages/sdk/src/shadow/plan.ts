import type { Context } from '@opentelemetry/api'
import { getStep, getTask } from '../context'
import { shadowSettings, stats, type ShadowRule } from './options'

/** The shadow decision for one primary call, made when the call starts. */
export interface ShadowPlan {
  rule: ShadowRule
  /** The probability that this call is copied: the rule's share. */
  propensity: number
  /** Whether this call was drawn to be copied. */
  sampled: boolean
}

/**
 * Finds the first rule for the step (and task) the call runs in and draws whether to copy it.
 * A call already on the candidate model is not eligible: there is nothing to compare.
 */
export function planShadow(parent: Context, requestModel: string): ShadowPlan | undefined {
  const { rules, random } = shadowSettings()
  if (rules.length === 0) return undefined
  const step = getStep(parent)
  if (step === undefined) return undefined
  const taskName = getTask(parent)?.name
  const rule = rules.find(
    (candidate) =>
      candidate.step === step &&
      (candidate.taskName === undefined || candidate.taskName === taskName) &&
      (candidate.currentModel === undefined || candidate.currentModel === requestModel) &&
      candidate.model !== requestModel,
  )
  if (!rule) return undefined

  stats.eligible++
  const sampled = random() < rule.share
  if (sampled) stats.sampled++
  return { rule, propensity: rule.share, sampled }
}
