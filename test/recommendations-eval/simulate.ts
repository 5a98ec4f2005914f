import { priceCall, ZERO_USAGE } from '@agentmeter/core'
import { createRng, type Rng } from '@agentmeter/demo'
import { llmCallSpan } from '../support/hotspot-spans'
import type { JsonSpanInput } from '../support/otlp-json'
import { outcomeRootSpan, shadowCallSpan } from '../support/recommendation-spans'
import { LARGE_INPUT, propensityOf, type Scenario } from './scenarios'
import type { TokenMix } from './token-mix'

export const WINDOW_START = new Date(Date.UTC(2026, 10, 1))
export const WINDOW_DAYS = 7
const WINDOW_MILLIS = WINDOW_DAYS * 86_400_000

/** What the simulation knows and the recommender must estimate. */
export interface Truth {
  scenario: Scenario
  /** Calls of the current model in the window. */
  currentCalls: number
  /** Savings over the next 30 days, from fresh draws of the same traffic, repriced exactly. */
  actualMonthlySavingsUsd: number
  /** What those 30 days cost on the cheap model. */
  actualMonthlyCheapUsd: number
  /** True change of the task success rate on the cheap model, in points. */
  qualityDelta: number
}

/**
 * The spans of one scenario over the window, and its truth. Calls draw their token counts from
 * the real mix; the cheap model writes `outputRatio` times as many output tokens; outcomes are
 * drawn at the scenario's rates from a seeded source.
 */
export function simulate(
  scenario: Scenario,
  mixes: readonly TokenMix[],
  seed: number,
  /** Short and unique per simulated step: task ids (and so trace ids) start with it. */
  prefix: string,
): { spans: JsonSpanInput[]; truth: Truth } {
  const rng = createRng(seed)
  const spans: JsonSpanInput[] = []
  const arms =
    scenario.evidence === 'observed'
      ? [scenario.current, scenario.cheap].flatMap((model) =>
          Array.from({ length: scenario.tasks }, () => model),
        )
      : Array.from({ length: scenario.tasks }, () => scenario.current)
  const order = rng.shuffle(arms)
  let seq = 0
  order.forEach((model, i) => {
    const id = `${prefix}-${i}`
    const at = new Date(WINDOW_START.getTime() + ((i + 0.5) / order.length) * WINDOW_MILLIS)
    const mix = rng.pick(mixes)
    const cheap = model === scenario.cheap
    const rate = cheap ? scenario.cheapRate : scenario.currentRate
    spans.push(outcomeRootSpan(id, scenario.taskName, at, rng.chance(rate) ? 'success' : 'failure'))
    const primary = (++seq).toString(16).padStart(16, '0')
    const call = llmCallSpan({
      taskId: id,
      taskName: scenario.taskName,
      step: scenario.step,
      spanId: primary,
      at,
      provider: scenario.provider,
      model,
      input: mix.input,
      output: cheap ? Math.round(mix.output * scenario.outputRatio) : mix.output,
      cacheRead: mix.cacheRead,
      requestHash: primary,
    })
    spans.push(call)
    if (scenario.evidence === 'replay') addShadow(scenario, rng, call, mix, primary, spans, ++seq)
  })
  const currentCalls = order.filter((model) => model === scenario.current).length
  return {
    spans,
    truth: {
      scenario,
      currentCalls,
      ...futureCosts(scenario, mixes, rng, currentCalls),
      qualityDelta: trueDelta(scenario, mixes),
    },
  }
}

function addShadow(
  scenario: Scenario,
  rng: Rng,
  call: JsonSpanInput,
  mix: TokenMix,
  primary: string,
  spans: JsonSpanInput[],
  seq: number,
): void {
  const propensity = propensityOf(mix.input)
  // Every call of a step in shadow mode carries the propensity, shadowed or not.
  call.attributes['agentmeter.shadow.propensity'] = propensity
  if (!rng.chance(propensity)) return
  const asGood = mix.input > LARGE_INPUT ? scenario.asGood!.large : scenario.asGood!.small
  spans.push(
    shadowCallSpan(
      {
        taskId: String(call.attributes['agentmeter.task.id']),
        taskName: scenario.taskName,
        step: scenario.step,
        spanId: seq.toString(16).padStart(16, '0'),
        at: new Date(Number(BigInt(call.startTimeUnixNano) / 1_000_000n) + 100),
        provider: scenario.provider,
        model: scenario.cheap,
        input: mix.input,
        output: Math.round(mix.output * scenario.outputRatio),
        cacheRead: 0,
        requestHash: primary,
      },
      { primarySpanId: primary, propensity, match: rng.chance(asGood) },
    ),
  )
}

/**
 * The next 30 days at the window's rate, drawn afresh: the current model's calls as they bill
 * (cache reads included), against the cheap model on the same inputs, read cold, with its own
 * output length. Exact pico-dollar sums through the pricer.
 */
function futureCosts(
  scenario: Scenario,
  mixes: readonly TokenMix[],
  rng: Rng,
  windowCalls: number,
): { actualMonthlySavingsUsd: number; actualMonthlyCheapUsd: number } {
  const calls = Math.round((windowCalls * 30) / WINDOW_DAYS)
  let current = 0
  let cheap = 0
  for (let i = 0; i < calls; i++) {
    const mix = rng.pick(mixes)
    const at = new Date(WINDOW_START.getTime() + WINDOW_MILLIS)
    current += Number(
      priceCall({
        provider: scenario.provider,
        model: scenario.current,
        usage: {
          ...ZERO_USAGE,
          inputTokens: mix.input,
          outputTokens: mix.output,
          cacheReadTokens: mix.cacheRead,
        },
        timestamp: at,
      }).costUsd,
    )
    cheap += Number(
      priceCall({
        provider: scenario.provider,
        model: scenario.cheap,
        usage: {
          ...ZERO_USAGE,
          inputTokens: mix.input,
          outputTokens: Math.round(mix.output * scenario.outputRatio),
        },
        timestamp: at,
      }).costUsd,
    )
  }
  return { actualMonthlySavingsUsd: current - cheap, actualMonthlyCheapUsd: cheap }
}

/**
 * Observed: the difference of the set rates. Replay: every worse shadow result fails its task,
 * so the rate drops by the current rate times the share of inputs on which the cheap model is
 * worse, that share taken over the token mix's input sizes.
 */
function trueDelta(scenario: Scenario, mixes: readonly TokenMix[]): number {
  if (scenario.evidence === 'observed') return (scenario.cheapRate - scenario.currentRate) * 100
  const large = mixes.filter((mix) => mix.input > LARGE_INPUT).length / mixes.length
  const asGood = large * scenario.asGood!.large + (1 - large) * scenario.asGood!.small
  return -scenario.currentRate * (1 - asGood) * 100
}
