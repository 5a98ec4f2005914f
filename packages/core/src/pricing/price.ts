import type { CostInfo } from '../span/row'
import type { Usage } from '../usage/usage'
import { applyRules } from './apply-rules'
import { CATALOG_VERSION, findModelPrice, type CatalogMatch, type PriceValue } from './catalog'
import { parseDecimal, picoToUsd, usdToPico } from './decimal'
import {
  EMPTY_PRICE_BOOK,
  findCustomPrice,
  type CustomModelPrice,
  type PriceBook,
} from './price-book'
import { resolveModelName, type ResolvedModel } from './resolve-model'
import { FINE_TUNE_PRICES } from './rules'

export interface PriceRequest {
  /** `gen_ai.provider.name` or a catalog provider id; empty when unknown. */
  provider: string
  /**
   * The model to price: the served model when known, else the requested one. Ignored when
   * `requestModel` or `responseModel` is given, which lets name resolution choose.
   */
  model: string
  /** Null when the call reported no usage: the call stays unpriced. */
  usage: Usage | null
  /** When the call happened; selects historic prices and custom prices. Defaults to now. */
  timestamp?: Date
  /** Billed per-request units beside the tokens, such as hosted tool calls. */
  requests?: RequestCounts
  /** `gen_ai.request.model` (an alias, a deployment name, a Bedrock id or ARN). */
  requestModel?: string
  /** `gen_ai.response.model`: wins over the requested alias. */
  responseModel?: string
  /** `url.full` or `server.address`: tells Azure, Bedrock, Vertex and OpenRouter apart. */
  providerUrl?: string
  /** `service_tier` the provider billed (`batch`, `flex`, `priority`, `default`, ...). */
  serviceTier?: string
  /** Data-residency option of the call (Anthropic `inference_geo`), when set. */
  inferenceGeo?: string
  /** The provider's own bill for the call (OpenRouter `usage.cost`): it wins when present. */
  reportedCostUsd?: string | null
  /** The project's custom prices and deployment map. */
  priceBook?: PriceBook
}

/** Hosted tool calls a provider bills per call, by catalog unit. */
export interface RequestCounts {
  /** Web searches (Anthropic `server_tool_use.web_search_requests`, OpenAI `web_search_call`). */
  webSearches?: number
  /** OpenAI file search calls (`file_search_call` output items). */
  fileSearches?: number
  /** Code execution sessions (OpenAI `code_interpreter_call` containers). */
  codeExecutions?: number
}

/** Catalog price keys (USD per 1,000 calls) of each request unit. */
const REQUEST_PRICE_KEYS: Partial<Record<keyof RequestCounts, string>> = {
  webSearches: 'web_searches_kcount',
  fileSearches: 'storage_searches_kcount',
}

const UNPRICED: Omit<CostInfo, 'reason'> = {
  priced: false,
  costUsd: null,
  inputCostUsd: null,
  outputCostUsd: null,
  source: null,
  catalogVersion: CATALOG_VERSION,
  matchedProvider: '',
  matchedModel: '',
  tier: '',
}

type Ratio = [bigint, bigint]

/**
 * Prices one call exactly, in pico-dollars: every token class at its own rate. In order, the
 * provider's own bill (when reported), the project's custom price in effect at the call's time,
 * then the catalog with agentmeter's rule table on top. A call that cannot be priced is
 * `priced: false` with the reason, never a cost of 0.
 */
export function priceCall(request: PriceRequest): CostInfo {
  const at = request.timestamp ?? new Date()
  const book = request.priceBook ?? EMPTY_PRICE_BOOK
  const named = request.requestModel !== undefined || request.responseModel !== undefined
  const resolved = resolveModelName({
    provider: request.provider,
    requestModel: named ? (request.requestModel ?? '') : request.model,
    responseModel: named ? (request.responseModel ?? '') : '',
    providerUrl: request.providerUrl,
    deployments: book.deployments,
  })
  const model = resolved.chosen
  if (model === '') return { ...UNPRICED, reason: 'no model on the span' }

  const reported = request.reportedCostUsd
  if (reported !== undefined && reported !== null) return providerReported(reported, resolved)
  if (request.usage === null) return { ...UNPRICED, reason: 'usage not reported' }
  if (resolved.unresolvable) return { ...UNPRICED, reason: resolved.unresolvable }
  const usage = request.usage

  const custom = findCustomPrice(
    book,
    [resolved.providerId, request.provider],
    [model.toLowerCase(), ...resolved.candidates],
    at,
  )
  if (custom) return priceCustom(custom, usage, resolved)

  if (resolved.fineTuneBase !== undefined) return priceFineTune(resolved, usage, model)

  let match: CatalogMatch | null = null
  let matchedName = ''
  for (const candidate of resolved.candidates) {
    try {
      match = findModelPrice(resolved.providerId ?? request.provider, candidate, at)
    } catch {
      match = null
    }
    if (match) {
      matchedName = candidate
      break
    }
  }
  if (!match) return { ...UNPRICED, reason: `model not in price catalog: ${model}` }

  const notes = resolved.note ? [resolved.note] : []
  if (matchedName !== resolved.candidates[0]) {
    notes.push(`no entry for ${resolved.candidates[0]}; priced as its family ${matchedName}`)
  }
  match = fillFromUpstream(match, usage, at, notes)
  const ruled = applyRules(match, {
    at,
    serviceTier: (request.serviceTier ?? '').trim().toLowerCase(),
    inferenceGeo: (request.inferenceGeo ?? '').trim().toLowerCase(),
  })
  notes.push(...ruled.notes)

  const rates = new RateTable(ruled.prices, usage.inputTokens)
  const tokens = tokenCosts(rates, usage, ruled.ratio)
  const fees = requestFees(ruled.prices, ruled.fees, request.requests ?? {})
  return {
    priced: true,
    costUsd: picoToUsd(tokens.input + tokens.output + fees),
    inputCostUsd: picoToUsd(tokens.input),
    outputCostUsd: picoToUsd(tokens.output),
    source: 'computed',
    catalogVersion: CATALOG_VERSION,
    matchedProvider: match.provider,
    matchedModel: match.model,
    tier: [rates.tierLabel(), ruled.serviceTier].filter(Boolean).join(' '),
    reason: notes.join('; '),
  }
}

function providerReported(costUsd: string, resolved: ResolvedModel): CostInfo {
  return {
    priced: true,
    costUsd: picoToUsd(usdToPico(costUsd)),
    inputCostUsd: null,
    outputCostUsd: null,
    source: 'provider',
    catalogVersion: 'provider-reported',
    matchedProvider: resolved.providerId ?? '',
    matchedModel: resolved.chosen,
    tier: '',
    reason: 'cost reported by the provider',
  }
}

function priceCustom(custom: CustomModelPrice, usage: Usage, resolved: ResolvedModel): CostInfo {
  const rates = new RateTable(
    {
      input_mtok: custom.inputMtok,
      output_mtok: custom.outputMtok,
      cache_read_mtok: custom.cacheReadMtok ?? undefined,
      cache_write_mtok: custom.cacheWriteMtok ?? undefined,
      cache_write_1h_mtok: custom.cacheWrite1hMtok ?? undefined,
    },
    usage.inputTokens,
  )
  const tokens = tokenCosts(rates, usage, [1n, 1n])
  const fee = custom.perCallUsd ? usdToPico(custom.perCallUsd) : 0n
  return {
    priced: true,
    costUsd: picoToUsd(tokens.input + tokens.output + fee),
    inputCostUsd: picoToUsd(tokens.input),
    outputCostUsd: picoToUsd(tokens.output),
    source: 'custom',
    catalogVersion: `custom@${custom.effectiveFrom.toISOString()}`,
    matchedProvider: custom.provider || (resolved.providerId ?? ''),
    matchedModel: custom.model,
    tier: 'custom',
    reason: `project price ${custom.id} in effect since ${custom.effectiveFrom.toISOString()}`,
  }
}

function priceFineTune(resolved: ResolvedModel, usage: Usage, model: string): CostInfo {
  const base = resolved.fineTuneBase ?? ''
  const rates = FINE_TUNE_PRICES[base]
  if (!rates) {
    return {
      ...UNPRICED,
      reason: `fine-tuned model ${model}: no fine-tune price for its base ${base}; add a custom price`,
    }
  }
  const table = new RateTable(
    { input_mtok: rates.input, output_mtok: rates.output, cache_read_mtok: rates.cacheRead },
    usage.inputTokens,
  )
  const tokens = tokenCosts(table, usage, [1n, 1n])
  return {
    priced: true,
    costUsd: picoToUsd(tokens.input + tokens.output),
    inputCostUsd: picoToUsd(tokens.input),
    outputCostUsd: picoToUsd(tokens.output),
    source: 'computed',
    catalogVersion: CATALOG_VERSION,
    matchedProvider: 'openai',
    matchedModel: `ft:${base}`,
    tier: 'fine-tune',
    reason: `fine-tuned model priced at the fine-tune rates of ${base} (rules.ts)`,
  }
}

/**
 * OpenRouter's catalog entries often lack cache prices although OpenRouter passes the upstream
 * provider's cache discount through. When the upstream vendor's own entry has the same input
 * price (so the same list price is being passed through), its cache prices are used.
 */
function fillFromUpstream(
  match: CatalogMatch,
  usage: Usage,
  at: Date,
  notes: string[],
): CatalogMatch {
  const prices = match.prices as Record<string, PriceValue>
  if (match.provider !== 'openrouter' || usage.cacheReadTokens + usage.cacheWriteTokens === 0)
    return match
  if (prices.cache_read_mtok !== undefined) return match
  const [vendor = '', ...rest] = match.model.split('/')
  if (rest.length === 0) return match
  let upstream: CatalogMatch | null
  try {
    upstream = findModelPrice(vendor, rest.join('/'), at)
  } catch {
    upstream = null
  }
  if (!upstream || upstream.provider === 'openrouter') return match
  const theirs = upstream.prices as Record<string, PriceValue>
  if (theirs.input_mtok !== prices.input_mtok) return match
  const filled: Record<string, PriceValue> = { ...prices }
  for (const key of ['cache_read_mtok', 'cache_write_mtok', 'cache_write_1h_mtok']) {
    if (filled[key] === undefined && theirs[key] !== undefined) filled[key] = theirs[key]
  }
  notes.push(`cache prices of the upstream ${upstream.provider}/${upstream.model}`)
  return { ...match, prices: filled as CatalogMatch['prices'] }
}

/** Token costs in pico-dollars, each class at its own rate, times the tier ratio. */
function tokenCosts(
  rates: RateTable,
  usage: Usage,
  ratio: Ratio,
): { input: bigint; output: bigint } {
  const cacheWrite1h = Math.min(usage.cacheWrite1hTokens, usage.cacheWriteTokens)
  const cacheWrite5m = usage.cacheWriteTokens - cacheWrite1h
  const uncached = Math.max(0, usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens)
  // A token class without its own price falls back to its parent's (a cache read with no cache
  // rate is an ordinary input token), which is how the catalog itself reads its tables.
  const inputRate = rates.rate('input_mtok')
  const cacheWriteRate = rates.rate('cache_write_mtok') ?? inputRate
  const input =
    times(uncached, inputRate) +
    times(usage.cacheReadTokens, rates.rate('cache_read_mtok') ?? inputRate) +
    times(cacheWrite5m, cacheWriteRate) +
    times(cacheWrite1h, rates.rate('cache_write_1h_mtok') ?? cacheWriteRate)
  const output = times(usage.outputTokens, rates.rate('output_mtok'))
  return { input: scale(input, ratio), output: scale(output, ratio) }
}

/** An exact ratio applied to a non-negative amount, rounded half up to a pico-dollar. */
function scale(amount: bigint, [numerator, denominator]: Ratio): bigint {
  if (numerator === denominator) return amount
  return (amount * numerator * 2n + denominator) / (2n * denominator)
}

/**
 * Per-call fees: a $/1,000-calls price is 10^9 pico-dollars per call per dollar. Where the
 * catalog has no price for a unit, agentmeter's fee rules may; a unit neither prices costs
 * nothing extra, which is what such a model's provider bills.
 */
function requestFees(
  prices: Record<string, PriceValue>,
  ruleFees: Partial<Record<keyof RequestCounts, bigint>>,
  requests: RequestCounts,
): bigint {
  let total = 0n
  for (const unit of Object.keys(requests) as Array<keyof RequestCounts>) {
    const count = requests[unit] ?? 0
    if (count <= 0 || !Number.isInteger(count)) continue
    const key = REQUEST_PRICE_KEYS[unit]
    const price = key ? prices[key] : undefined
    if (typeof price === 'number') total += BigInt(count) * parseDecimal(price, 9)
    else if (ruleFees[unit] !== undefined) total += BigInt(count) * ruleFees[unit]
  }
  return total
}

/** Tokens at a rate in pico-dollars per token (a $/Mtok price scaled by 10^6 is exactly that). */
function times(tokens: number, picoPerToken: bigint | undefined): bigint {
  if (tokens <= 0 || picoPerToken === undefined) return 0n
  return BigInt(tokens) * picoPerToken
}

// A price table holds a few hundred distinct prices and every priced span reads four or five of
// them: each is parsed once (exactly, as ever) and remembered, instead of once per span.
const PER_MILLION = new Map<number | string, bigint>()
const MAX_PER_MILLION = 8192

/** A $/Mtok price as pico-dollars per token. */
function perMillion(price: number | string): bigint {
  let units = PER_MILLION.get(price)
  if (units === undefined) {
    units = parseDecimal(price, 6)
    if (PER_MILLION.size >= MAX_PER_MILLION) PER_MILLION.clear()
    PER_MILLION.set(price, units)
  }
  return units
}

/**
 * Resolves a model's $/Mtok prices for one request. Tiered prices switch the whole request to
 * the tier whose threshold its total input exceeds (strictly), as the providers bill them.
 */
class RateTable {
  private tierStart: number | null = null

  constructor(
    private readonly prices: Record<string, PriceValue | string>,
    private readonly inputTokens: number,
  ) {}

  rate(key: string): bigint | undefined {
    const value = this.prices[key]
    if (value === undefined) return undefined
    if (typeof value === 'number' || typeof value === 'string') return perMillion(value)
    let price = value.base
    for (const tier of value.tiers) {
      if (this.inputTokens > tier.start) {
        price = tier.price
        this.tierStart = tier.start
      }
    }
    return perMillion(price)
  }

  tierLabel(): string {
    return this.tierStart === null ? 'base' : `>${this.tierStart}`
  }
}
