import { findProvider, type ModelPrice } from '@pydantic/genai-prices'
import { describe, expect, it } from 'vitest'

/**
 * Case C34 (Helicone's Mistral prices off by 1000x): a unit slip in a price table shows as a
 * per-token price outside any real model's range. Every per-token price of the providers we
 * resolve to must lie between 1e-9 and 1e-3 USD per token ($0.001 to $1,000 per million).
 */
const PROVIDERS = ['openai', 'anthropic', 'google', 'aws', 'azure', 'mistral', 'x-ai', 'deepseek']

function tokenPrices(prices: ModelPrice): Array<[string, number]> {
  const out: Array<[string, number]> = []
  for (const [key, value] of Object.entries(prices)) {
    if (!key.endsWith('_mtok') || value === undefined) continue
    if (typeof value === 'number') out.push([key, value])
    else
      for (const price of [value.base, ...value.tiers.map((t) => t.price)]) out.push([key, price])
  }
  return out
}

describe('price catalog sanity', () => {
  it('should hold every per-token price between 1e-9 and 1e-3 USD', () => {
    const outside: string[] = []
    let checked = 0
    for (const id of PROVIDERS) {
      const provider = findProvider({ providerId: id })
      expect(provider, id).toBeDefined()
      for (const model of provider!.models) {
        const versions = Array.isArray(model.prices)
          ? model.prices.map((entry) => entry.prices)
          : [model.prices]
        for (const prices of versions) {
          for (const [key, perMillion] of tokenPrices(prices)) {
            checked++
            const perToken = perMillion / 1e6
            if (perMillion !== 0 && (perToken < 1e-9 || perToken > 1e-3))
              outside.push(`${id}/${model.id} ${key}=${perMillion}`)
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(1000)
    expect(outside).toEqual([])
  })
})
