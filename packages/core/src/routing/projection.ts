import { picoToUsd, usdToPico } from '../pricing/decimal'
import { priceCall } from '../pricing/price'
import type { PriceBook } from '../pricing/price-book'
import { ZERO_USAGE } from '../usage/usage'

/**
 * Input-size bands (lower edges, tokens per call) the token mix is summed in, so that a price
 * tier chosen by a call's input size (the catalog's tiers start above 128k, 200k and 272k
 * tokens) prices the calls that reached it, and only those.
 */
export const INPUT_BAND_EDGES = [0, 32_000, 128_000, 200_000, 272_000, 1_000_000] as const

/** The priced calls of one model in one step and input band, as the store sums them. */
export interface BandMix {
  /** Lower edge of the band (one of INPUT_BAND_EDGES). */
  band: number
  calls: number
  /** All input tokens (cache reads and writes included: caches restart cold on a new model). */
  inputTokens: number
  outputTokens: number
  /** What these calls cost, exact decimal USD. */
  costUsd: string
  /** Float moments of the per-call cost c and token counts, for the savings interval. */
  moments: { cc: number; ii: number; oo: number; ci: number; co: number; io: number }
}

/** A model's rates for one band, exact: pico-dollars per token and per call. */
export interface TokenRates {
  inputPico: bigint
  outputPico: bigint
  perCallPico: bigint
}

/**
 * The candidate's rates in a band, read back from the pricer itself (three probe calls), so the
 * projection uses exactly the catalog, rule table and the project's custom prices that ingest
 * uses, and a tier that starts inside the band is honoured. Null when the model is unpriced.
 */
export function tokenRates(
  provider: string,
  model: string,
  band: number,
  at: Date,
  priceBook?: PriceBook,
): TokenRates | null {
  const base = band + 1
  const probe = (inputTokens: number, outputTokens: number) => {
    const cost = priceCall({
      provider,
      model,
      usage: { ...ZERO_USAGE, inputTokens, outputTokens },
      timestamp: at,
      ...(priceBook ? { priceBook } : {}),
    })
    return cost.priced && cost.costUsd !== null ? usdToPico(cost.costUsd) : null
  }
  const one = probe(base, 0)
  const next = probe(base + 1, 0)
  const withOutput = probe(base, 1_000_000)
  if (one === null || next === null || withOutput === null) return null
  const inputPico = next - one
  return {
    inputPico,
    outputPico: (withOutput - one) / 1_000_000n,
    perCallPico: one - BigInt(base) * inputPico,
  }
}

/** The output-length ratio as an exact fraction of a millionth. */
function ratioMicro(outputRatio: number): bigint {
  if (!(outputRatio >= 0) || !Number.isFinite(outputRatio)) {
    throw new RangeError(`outputRatio must be a finite number >= 0, got ${outputRatio}`)
  }
  return BigInt(Math.round(outputRatio * 1e6))
}

export interface Projection {
  /** Exact decimal USD of the calls as they ran, and repriced on the candidate. */
  currentUsd: string
  projectedUsd: string
  savingsUsd: string
  calls: number
  /** Mean and variance of the per-call savings (USD, float), for the interval. */
  meanSaving: number
  varianceSaving: number
}

/**
 * The cost of a step's real token mix on a candidate model: the same input tokens, all read at
 * the plain input rate (a switch starts with a cold cache), and output tokens times the
 * suggested/current output-length ratio (rounded half up per band). Null when a band cannot be
 * priced on the candidate.
 */
export function projectMix(
  bands: readonly BandMix[],
  ratesOf: (band: number) => TokenRates | null,
  outputRatio: number,
): Projection | null {
  const micro = ratioMicro(outputRatio)
  let current = 0n
  let projected = 0n
  let calls = 0
  let sum = 0
  let sumSquares = 0
  for (const mix of bands) {
    const rates = ratesOf(mix.band)
    if (!rates) return null
    const output = (BigInt(mix.outputTokens) * micro * 2n + 1_000_000n) / 2_000_000n
    current += usdToPico(mix.costUsd)
    projected +=
      BigInt(mix.calls) * rates.perCallPico +
      BigInt(mix.inputTokens) * rates.inputPico +
      output * rates.outputPico
    calls += mix.calls
    const moments = bandSavingMoments(mix, rates, outputRatio)
    sum += moments.sum
    sumSquares += moments.sumSquares
  }
  const mean = calls > 0 ? sum / calls : 0
  return {
    currentUsd: picoToUsd(current),
    projectedUsd: picoToUsd(projected),
    savingsUsd: picoToUsd(current - projected),
    calls,
    meanSaving: mean,
    varianceSaving: calls > 0 ? Math.max(0, sumSquares / calls - mean * mean) : 0,
  }
}

/**
 * Σ s and Σ s² of the per-call saving s = c − f − a·in − b·out, expanded in the stored moments
 * (a, b and f are the candidate's input, output and per-call rates in USD).
 */
function bandSavingMoments(mix: BandMix, rates: TokenRates, outputRatio: number) {
  const a = Number(rates.inputPico) / 1e12
  const b = (Number(rates.outputPico) / 1e12) * outputRatio
  const f = Number(rates.perCallPico) / 1e12
  const n = mix.calls
  const c = Number(mix.costUsd)
  const { cc, ii, oo, ci, co, io } = mix.moments
  const sum = c - n * f - a * mix.inputTokens - b * mix.outputTokens
  const sumSquares =
    cc +
    n * f * f +
    a * a * ii +
    b * b * oo -
    2 * f * c -
    2 * a * ci -
    2 * b * co +
    2 * f * a * mix.inputTokens +
    2 * f * b * mix.outputTokens +
    2 * a * b * io
  return { sum, sumSquares }
}

const DAY_MILLIS = 86_400_000

/**
 * Savings scaled from the window to 30 days, with a 95% interval: the uncertainty of the mean
 * per-call saving (estimated from `calls` calls) times next month's calls, plus the spread of a
 * month's sum of per-call savings around that mean.
 */
export function monthlySavings(
  projection: Projection,
  windowMillis: number,
): { monthlyUsd: number; interval: [number, number] } {
  const scale = (30 * DAY_MILLIS) / Math.max(windowMillis, 1)
  const monthlyUsd = Number(projection.savingsUsd) * scale
  const monthCalls = projection.calls * scale
  const variance =
    projection.calls > 0
      ? projection.varianceSaving * monthCalls * (1 + monthCalls / projection.calls)
      : 0
  const halfWidth = 1.959963984540054 * Math.sqrt(variance)
  return { monthlyUsd, interval: [monthlyUsd - halfWidth, monthlyUsd + halfWidth] }
}
