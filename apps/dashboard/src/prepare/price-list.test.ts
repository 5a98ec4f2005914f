import { describe, expect, it } from 'vitest'
import type { PriceEntry } from '../api/pricing'
import { preparePriceList, trimDecimal } from './price-list'

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
        price: '$1 in / $4.5 out per M, cached $0.5',
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

describe('trimDecimal', () => {
  it('should drop trailing zeros of a stored decimal and its point, and nothing else', () => {
    expect(
      ['2.000000000000', '0.150000000000', '100.000', '0.000000', '10', '100', '0.0000015'].map(
        trimDecimal,
      ),
    ).toEqual(['2', '0.15', '100', '0', '10', '100', '0.0000015'])
  })

  it('does write a missing price as a dash, not as zero', () => {
    expect(trimDecimal(null)).toBe('—')
  })
})
