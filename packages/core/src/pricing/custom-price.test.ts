import { describe, expect, it } from 'vitest'
import { ZERO_USAGE } from '../usage/usage'
import { priceCall } from './price'
import type { PriceBook } from './price-book'
import { priceToolCall } from './tool-price'

const book: PriceBook = {
  models: [
    {
      id: 'pr_old',
      provider: 'openai',
      model: 'gpt-4o',
      effectiveFrom: new Date('2026-10-01T00:00:00Z'),
      inputMtok: '2',
      outputMtok: '8',
      cacheReadMtok: '1',
      cacheWriteMtok: null,
      cacheWrite1hMtok: null,
      perCallUsd: null,
    },
    {
      id: 'pr_new',
      provider: 'openai',
      model: 'gpt-4o',
      effectiveFrom: new Date('2026-11-01T00:00:00Z'),
      inputMtok: '1.125',
      outputMtok: '4.5',
      cacheReadMtok: null,
      cacheWriteMtok: null,
      cacheWrite1hMtok: null,
      perCallUsd: '0.0001',
    },
  ],
  tools: [
    {
      id: 'tp_1',
      toolName: 'browser',
      effectiveFrom: new Date('2026-11-01T00:00:00Z'),
      perCallUsd: '0.01',
    },
  ],
  deployments: {},
}
const usage = { ...ZERO_USAGE, inputTokens: 1000, cacheReadTokens: 400, outputTokens: 500 }
const price = (at: string, model = 'gpt-4o-2024-08-06') =>
  priceCall({ provider: 'openai', model, usage, timestamp: new Date(at), priceBook: book })

describe('custom prices', () => {
  it('should leave calls before the first effective date at the catalog price', () => {
    // 600 × 2.50 + 400 × 1.25 + 500 × 10 per million
    expect(price('2026-09-30T23:59:59Z')).toMatchObject({
      source: 'computed',
      costUsd: '0.007000000000',
    })
  })

  it('should use the latest price in effect, for the model family too', () => {
    // 600 × 2 + 400 × 1 + 500 × 8 per million
    expect(price('2026-10-15T00:00:00Z')).toMatchObject({
      source: 'custom',
      costUsd: '0.005600000000',
      matchedModel: 'gpt-4o',
      catalogVersion: 'custom@2026-10-01T00:00:00.000Z',
    })
    // 1000 × 1.125 (no cache price: cached at input) + 500 × 4.5 per million + $0.0001
    expect(price('2026-11-01T00:00:00Z')).toMatchObject({
      source: 'custom',
      costUsd: '0.003475000000',
    })
  })

  it('should price a tool call from the project catalog unless the app reported its fee', () => {
    const at = new Date('2026-11-02T00:00:00Z')
    expect(
      priceToolCall({ toolName: 'Browser', at, appCostUsd: null, priceBook: book }),
    ).toMatchObject({
      toolCostUsd: '0.010000000000',
      source: 'custom',
    })
    expect(
      priceToolCall({ toolName: 'browser', at, appCostUsd: '0.030000000000', priceBook: book }),
    ).toMatchObject({ toolCostUsd: '0.030000000000', source: 'sdk' })
    expect(
      priceToolCall({
        toolName: 'browser',
        at: new Date('2026-10-01'),
        appCostUsd: null,
        priceBook: book,
      }).toolCostUsd,
    ).toBeNull()
  })
})
