import { usdToPico } from '../pricing/decimal'
import { priceCall } from '../pricing/price'
import type { Usage } from '../usage/usage'

export interface CacheSavingRequest {
  provider: string
  model: string
  /** Tokens that were billed as fresh input but could have been read from the cache. */
  missedTokens: number
  /** Tokens that would have had to be written to the cache first (their premium is subtracted). */
  writeTokens: number
  timestamp?: Date
}

function inputCost(
  provider: string,
  model: string,
  usage: Partial<Usage>,
  at?: Date,
): bigint | null {
  const full: Usage = {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    reasoningTokens: 0,
    ...usage,
  }
  const cost = priceCall({ provider, model, usage: full, ...(at ? { timestamp: at } : {}) })
  return cost.priced && cost.costUsd !== null ? usdToPico(cost.costUsd) : null
}

/**
 * What caching would have saved, in pico-USD, from the catalog's own rates: missed tokens priced
 * as fresh input minus the same tokens as cache reads, less the write premium (cache-write rate
 * minus input rate) on the tokens that would have been written first. Null for an unpriced model.
 * Never negative: a cache that costs more than it saves is no missed opportunity.
 */
export function cacheSavingPico(request: CacheSavingRequest): bigint | null {
  const { provider, model, missedTokens, writeTokens, timestamp } = request
  const fresh = inputCost(provider, model, { inputTokens: missedTokens }, timestamp)
  const read = inputCost(
    provider,
    model,
    { inputTokens: missedTokens, cacheReadTokens: missedTokens },
    timestamp,
  )
  const plain = inputCost(provider, model, { inputTokens: writeTokens }, timestamp)
  const written = inputCost(
    provider,
    model,
    { inputTokens: writeTokens, cacheWriteTokens: writeTokens },
    timestamp,
  )
  if (fresh === null || read === null || plain === null || written === null) return null
  const saving = fresh - read - (written - plain)
  return saving > 0n ? saving : 0n
}
