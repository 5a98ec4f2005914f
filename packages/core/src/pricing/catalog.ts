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

/** Finds the catalog entry for a model, using the provider as a hint when it is known. */
export function findModelPrice(provider: string, model: string, at: Date): CatalogMatch | null {
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
