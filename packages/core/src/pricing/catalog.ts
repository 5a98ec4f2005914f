import { calcPrice, type ModelPrice, type TieredPrices } from '@pydantic/genai-prices'
import { catalogProviderId } from './provider-ids'

/**
 * The price catalog: `@pydantic/genai-prices`, pinned to an exact version in package.json and
 * used only with its bundled data. `updatePrices` is never called, so nothing is fetched at run
 * time; a catalog bump is a dependency change that goes through review and tests.
 */
export const CATALOG_VERSION = 'genai-prices@0.1.8'

export interface CatalogMatch {
  provider: string
  model: string
  prices: ModelPrice
}

/**
 * Lookups are memoized: the catalog matches model names against every provider's patterns
 * (about 0.3 ms a call), which would bound ingest at a few thousand spans per second. Prices
 * change by date and, for some providers, by time of day, always on the hour or half hour, so a
 * 30-minute bucket of the call's time is part of the key.
 */
const LOOKUP_CACHE = new Map<string, CatalogMatch | null>()
const LOOKUP_CACHE_SIZE = 4096
const BUCKET_MS = 30 * 60 * 1000

/** Finds the catalog entry for a model, using the provider as a hint when it is known. */
export function findModelPrice(provider: string, model: string, at: Date): CatalogMatch | null {
  const key = `${provider}\u0000${model}\u0000${Math.floor(at.getTime() / BUCKET_MS)}`
  const cached = LOOKUP_CACHE.get(key)
  if (cached !== undefined) return cached
  const found = lookUp(provider, model, at)
  if (LOOKUP_CACHE.size >= LOOKUP_CACHE_SIZE) {
    LOOKUP_CACHE.delete(LOOKUP_CACHE.keys().next().value!)
  }
  LOOKUP_CACHE.set(key, found)
  return found
}

function lookUp(provider: string, model: string, at: Date): CatalogMatch | null {
  const providerId = catalogProviderId(provider)
  // A neutral usage: the catalog only needs it to run; our own arithmetic prices the real usage.
  const probe = { input_tokens: 0, output_tokens: 0 }
  const attempts = providerId ? [providerId, undefined] : [undefined]
  for (const attempt of attempts) {
    const found = calcPrice(probe, model, { providerId: attempt, timestamp: at })
    if (found)
      return { provider: found.provider.id, model: found.model.id, prices: found.model_price }
  }
  return null
}

export type PriceValue = number | TieredPrices | undefined
