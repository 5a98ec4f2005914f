import type { CostInfo } from '../span/row'
import type { Usage } from '../usage/usage'
import { CATALOG_VERSION, findModelPrice, type PriceValue } from './catalog'
import { parseDecimal, picoToUsd } from './decimal'

export interface PriceRequest {
  /** `gen_ai.provider.name` or a catalog provider id; empty when unknown. */
  provider: string
  /** The model to price: the served model when known, else the requested one. */
  model: string
  /** Null when the call reported no usage: the call stays unpriced. */
  usage: Usage | null
  /** When the call happened; selects historic prices. Defaults to now. */
  timestamp?: Date
  /** Billed per-request units beside the tokens, such as hosted tool calls. */
  requests?: RequestCounts
}

/** Hosted tool calls a provider bills per call, by catalog unit. */
export interface RequestCounts {
  /** Web searches (Anthropic `server_tool_use.web_search_requests`, OpenAI `web_search_call`). */
  webSearches?: number
  /** OpenAI file search calls (`file_search_call` output items). */
  fileSearches?: number
}

/** Catalog price keys (USD per 1,000 calls) of each request unit. */
const REQUEST_PRICE_KEYS: Record<keyof RequestCounts, string> = {
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

/**
 * Prices one call from the catalog, exactly: every token class at its own rate, in pico-dollars.
 * A call that cannot be priced is `priced: false` with the reason, never a cost of 0.
 */
export function priceCall(request: PriceRequest): CostInfo {
  const model = request.model.trim()
  if (model === '') return { ...UNPRICED, reason: 'no model on the span' }
  if (request.usage === null) return { ...UNPRICED, reason: 'usage not reported' }

  let match
  try {
    match = findModelPrice(request.provider, model, request.timestamp ?? new Date())
  } catch {
    match = null
  }
  if (!match) {
    return { ...UNPRICED, reason: `model not in price catalog: ${model}` }
  }

  const usage = request.usage
  const rates = new RateTable(match.prices, usage.inputTokens)
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
  const fees = requestFees(match.prices, request.requests ?? {})

  return {
    priced: true,
    costUsd: picoToUsd(input + output + fees),
    inputCostUsd: picoToUsd(input),
    outputCostUsd: picoToUsd(output),
    source: 'computed',
    catalogVersion: CATALOG_VERSION,
    matchedProvider: match.provider,
    matchedModel: match.model,
    tier: rates.tierLabel(),
    reason: '',
  }
}

/**
 * Per-call fees: a $/1,000-calls price is 10^9 pico-dollars per call per dollar. A unit the
 * catalog has no price for costs nothing extra, which is what such a model's provider bills.
 */
function requestFees(prices: Record<string, PriceValue>, requests: RequestCounts): bigint {
  let total = 0n
  for (const [unit, key] of Object.entries(REQUEST_PRICE_KEYS)) {
    const count = requests[unit as keyof RequestCounts] ?? 0
    const price = prices[key]
    if (count > 0 && Number.isInteger(count) && typeof price === 'number') {
      total += BigInt(count) * parseDecimal(price, 9)
    }
  }
  return total
}

/** Tokens at a rate in pico-dollars per token (a $/Mtok price scaled by 10^6 is exactly that). */
function times(tokens: number, picoPerToken: bigint | undefined): bigint {
  if (tokens <= 0 || picoPerToken === undefined) return 0n
  return BigInt(tokens) * picoPerToken
}

/**
 * Resolves a model's $/Mtok prices for one request. Tiered prices switch the whole request to
 * the tier whose threshold its total input exceeds (strictly), as the providers bill them.
 */
class RateTable {
  private tierStart: number | null = null

  constructor(
    private readonly prices: Record<string, PriceValue>,
    private readonly inputTokens: number,
  ) {}

  rate(key: string): bigint | undefined {
    const value = this.prices[key]
    if (value === undefined) return undefined
    if (typeof value === 'number') return parseDecimal(value, 6)
    let price = value.base
    for (const tier of value.tiers) {
      if (this.inputTokens > tier.start) {
        price = tier.price
        this.tierStart = tier.start
      }
    }
    return parseDecimal(price, 6)
  }

  tierLabel(): string {
    return this.tierStart === null ? 'base' : `>${this.tierStart}`
  }
}
