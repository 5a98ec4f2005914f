import type { ToolCall } from '../llm/outcome'
import { log } from '../state'

/** One side of a shadow comparison, as the app's `compare` function sees it. */
export interface ShadowResult {
  /** The model that answered (served model when the provider names it, else the requested). */
  model: string
  /** The answer's text (first choice or all text blocks); undefined when there was none. */
  text: string | undefined
  /** Tool calls with their arguments. */
  toolCalls: ToolCall[]
  finishReasons: string[]
  /**
   * The client's parsed response body, exactly as the client returned it; undefined for a
   * streamed primary call (the SDK does not keep the chunks).
   */
  response: unknown
}

/**
 * Judges a shadow result against the primary one: a number in [0, 1] (1 = as good) is recorded
 * as `agentmeter.shadow.score`, a boolean as `agentmeter.shadow.match`. It runs off the app's
 * call path; whatever it throws is counted and swallowed.
 */
export type ShadowCompare = (
  primary: ShadowResult,
  shadow: ShadowResult,
) => number | boolean | Promise<number | boolean>

/** Send a share of one step's calls also to a candidate model. */
export interface ShadowRule {
  /** The step (`step(name, ...)`) whose LLM calls are copied. */
  step: string
  /** Only in tasks of this name. @default every task */
  taskName?: string
  /**
   * Only calls that request this model, e.g. the large model the candidate would replace; the
   * candidate must be served by the same client. @default every call of the step
   */
  currentModel?: string
  /** The candidate model; the request is sent unchanged except for `model`. */
  model: string
  /** Probability in [0, 1] that one call of the step is copied, e.g. 0.05. */
  share: number
  compare?: ShadowCompare
}

/** Shadow mode: opt-in, off unless rules are given. */
export interface ShadowOptions {
  rules: ShadowRule[]
  /**
   * Shadow calls in flight at most; a call drawn while this many run is not copied (counted as
   * `dropped`), so a slow candidate never piles up requests or memory.
   * @default 4
   */
  maxConcurrent?: number
  /** Uniform random numbers in [0, 1), for the draw. @default Math.random */
  random?: () => number
}

/** What shadow mode did so far. */
export interface ShadowStats {
  /** Calls that matched a rule (each carries the rule's share as its propensity). */
  eligible: number
  /** Calls drawn to be copied. */
  sampled: number
  /**
   * Drawn but not copied: the concurrency limit was reached, the primary call failed, or the call
   * cannot be copied without changing provider state (a Responses call in a `conversation`).
   */
  dropped: number
  /** Shadow calls that answered. */
  completed: number
  /** Shadow calls that failed (errors are swallowed; the app never sees them). */
  failed: number
  /** `compare` calls that threw or returned something other than a number in [0, 1] or a boolean. */
  compareFailed: number
}

export interface ShadowSettings {
  rules: ShadowRule[]
  maxConcurrent: number
  random: () => number
}

const DEFAULT_MAX_CONCURRENT = 4

const settings: ShadowSettings = {
  rules: [],
  maxConcurrent: DEFAULT_MAX_CONCURRENT,
  random: Math.random,
}

export const stats: ShadowStats = {
  eligible: 0,
  sampled: 0,
  dropped: 0,
  completed: 0,
  failed: 0,
  compareFailed: 0,
}

/**
 * Turns shadow mode on with these rules (replacing earlier ones), or off with `undefined`.
 * `init({ shadow })` calls it; apps with their own `NodeSDK` call it directly. A rule with a
 * share outside [0, 1] or without a step or model is left out, with a warning.
 */
export function configureShadow(options: ShadowOptions | undefined): void {
  settings.rules = (options?.rules ?? []).filter(isValidRule)
  const max = options?.maxConcurrent
  settings.maxConcurrent =
    max !== undefined && Number.isInteger(max) && max >= 0 ? max : DEFAULT_MAX_CONCURRENT
  settings.random = options?.random ?? Math.random
}

export function shadowSettings(): Readonly<ShadowSettings> {
  return settings
}

/** A copy of the shadow counters. */
export function shadowStats(): ShadowStats {
  return { ...stats }
}

function isValidRule(rule: ShadowRule): boolean {
  const problem =
    typeof rule?.step !== 'string' || rule.step === ''
      ? `step must be a non-empty string, got ${JSON.stringify(rule?.step)}`
      : typeof rule.model !== 'string' || rule.model === ''
        ? `model must be a non-empty string, got ${JSON.stringify(rule.model)}`
        : typeof rule.share !== 'number' || !(rule.share >= 0 && rule.share <= 1)
          ? `share must be a number in [0, 1], got ${JSON.stringify(rule.share)}`
          : undefined
  if (problem) log.warn(`shadow rule ignored: ${problem}`)
  return problem === undefined
}
