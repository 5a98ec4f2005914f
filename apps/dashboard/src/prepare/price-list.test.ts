import { describe, expect, it } from 'vitest'
import type { PriceEntry } from '../api/pricing'
import { preparePriceList, priceText } from './price-list'

const entry = (partial: Partial<PriceEntry>): PriceEntry => ({
  id: 'pr_1',
  kind: 'model',
  provider: '',
  name: 'acme-9000',
  baseModel: '',
  effectiveFrom: '2026-11-01T00:00:00.000Z',
  inputMtok: null,
  outputMtok: null,
  cacheReadMtok: null,
  perCallUsd: null,
  ...partial,
})

describe('preparePriceList', () => {
  it('should list models, tools and deployments with their prices in plain words', () => {
    expect(
      preparePriceList([
        entry({ id: 'd', kind: 'deployment', name: 'GPT4-TURBO', baseModel: 'gpt-4-1106-preview' }),
        entry({ id: 't', kind: 'tool', name: 'web_search', perCallUsd: '0.005000000000' }),
        entry({
          id: 'm',
          provider: 'openai',
          name: 'gpt-4o',
          inputMtok: '1.000000000000',
          outputMtok: '4.500000000000',
          cacheReadMtok: '0.500000000000',
        }),
      ]),
    ).toEqual([
      {
        id: 'm',
        kind: 'model',
        name: 'gpt-4o',
        provider: 'openai',
        price: '$1.00 in / $4.50 out per M, cached $0.50',
        effectiveFrom: '2026-11-01 00:00 UTC',
      },
      {
        id: 't',
        kind: 'tool',
        name: 'web_search',
        provider: 'any',
        price: '$0.005 per call',
        effectiveFrom: '2026-11-01 00:00 UTC',
      },
      {
        id: 'd',
        kind: 'deployment',
        name: 'GPT4-TURBO',
        provider: 'any',
        price: 'runs gpt-4-1106-preview',
        effectiveFrom: '2026-11-01 00:00 UTC',
      },
    ])
  })
})

describe('priceText', () => {
  it('should write a stored decimal exactly, as money with at least two decimals', () => {
    expect(
      ['2.000000000000', '0.150000000000', '100.000', '0.000000', '10', '1000', '0.0000015'].map(
        priceText,
      ),
    ).toEqual(['$2.00', '$0.15', '$100.00', '$0.00', '$10.00', '$1,000.00', '$0.0000015'])
  })

  it('does write a missing price as a dash, not as zero', () => {
    expect(priceText(null)).toBe('—')
  })
})
