import { calcPrice } from '@pydantic/genai-prices'
import { describe, expect, it } from 'vitest'
import type { Usage } from '../usage/usage'
import { priceCall } from './price'

function usage(partial: Partial<Usage>): Usage {
  return {
    inputTokens: 0,
    outputTokens: 0,
    cacheReadTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    reasoningTokens: 0,
    ...partial,
  }
}

describe('priceCall', () => {
  it('should price gpt-4o at $2.50 / $10 per million exactly', () => {
    const cost = priceCall({
      provider: 'openai',
      model: 'gpt-4o',
      usage: usage({ inputTokens: 1000, outputTokens: 500 }),
    })
    expect(cost).toEqual({
      priced: true,
      costUsd: '0.007500000000',
      inputCostUsd: '0.002500000000',
      outputCostUsd: '0.005000000000',
      source: 'computed',
      catalogVersion: 'genai-prices@0.1.8',
      matchedProvider: 'openai',
      matchedModel: 'gpt-4o',
      tier: 'base',
      reason: '',
    })
  })

  it('should price cache reads at the cached rate and not again as input', () => {
    // 200 uncached × 2.50 + 800 cached × 1.25 + 500 × 10, per million.
    const cost = priceCall({
      provider: 'openai',
      model: 'gpt-4o',
      usage: usage({ inputTokens: 1000, cacheReadTokens: 800, outputTokens: 500 }),
    })
    expect(cost.costUsd).toBe('0.006500000000')
  })

  it('should price Anthropic 5-minute and 1-hour cache writes apart', () => {
    // claude-sonnet-4: 100 × 3 + 5000 × 0.30 + 2000 × 3.75 (5m) + 500 × 15 = 0.0168
    const base = { inputTokens: 7100, cacheReadTokens: 5000, cacheWriteTokens: 2000 }
    const fiveMinutes = priceCall({
      provider: 'anthropic',
      model: 'claude-sonnet-4-20250514',
      usage: usage({ ...base, outputTokens: 500 }),
    })
    expect(fiveMinutes.costUsd).toBe('0.016800000000')
    // The same writes at the 1-hour rate ($6/M): 0.0213
    const oneHour = priceCall({
      provider: 'anthropic',
      model: 'claude-sonnet-4-20250514',
      usage: usage({ ...base, cacheWrite1hTokens: 2000, outputTokens: 500 }),
    })
    expect(oneHour.costUsd).toBe('0.021300000000')
    expect(oneHour.matchedModel).toBe('claude-sonnet-4-0')
  })

  it('should switch the whole request to the long-context tier above the threshold', () => {
    // gemini-2.5-pro at 250k input: 250000 × 2.50 + 10000 × 15 = 0.775; at 200k: base tier.
    const long = priceCall({
      provider: 'gcp.gemini',
      model: 'gemini-2.5-pro',
      usage: usage({ inputTokens: 250_000, outputTokens: 10_000 }),
    })
    expect(long.costUsd).toBe('0.775000000000')
    expect(long.tier).toBe('>200000')
    const base = priceCall({
      provider: 'gcp.gemini',
      model: 'gemini-2.5-pro',
      usage: usage({ inputTokens: 200_000, outputTokens: 10_000 }),
    })
    expect(base.costUsd).toBe('0.350000000000')
    expect(base.tier).toBe('base')
  })

  it('should leave an unknown model unpriced, never $0', () => {
    const cost = priceCall({
      provider: 'openai',
      model: 'acme-llm-9000',
      usage: usage({ inputTokens: 10, outputTokens: 10 }),
    })
    expect(cost.priced).toBe(false)
    expect(cost.costUsd).toBeNull()
    expect(cost.reason).toBe('model not in price catalog: acme-llm-9000')
  })

  it('should leave a call without usage unpriced', () => {
    const cost = priceCall({ provider: 'openai', model: 'gpt-4o', usage: null })
    expect(cost).toMatchObject({ priced: false, costUsd: null, reason: 'usage not reported' })
  })

  it('should agree with the catalog own calculator to 1e-12 USD on random usage', () => {
    const models: Array<[string, string]> = [
      ['openai', 'gpt-4o-mini'],
      ['openai', 'gpt-5'],
      ['anthropic', 'claude-sonnet-4-5'],
      ['anthropic', 'claude-3-haiku-20240307'],
      ['gcp.gemini', 'gemini-2.5-pro'],
      ['x_ai', 'grok-3-mini'],
    ]
    let seed = 7
    const next = (max: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % max
    }
    for (let i = 0; i < 300; i++) {
      const [provider, model] = models[i % models.length]!
      const cacheRead = next(150_000)
      const cacheWrite = next(50_000)
      const input = cacheRead + cacheWrite + next(150_000)
      const output = next(20_000)
      const ours = priceCall({
        provider,
        model,
        usage: usage({
          inputTokens: input,
          cacheReadTokens: cacheRead,
          cacheWriteTokens: cacheWrite,
          outputTokens: output,
        }),
      })
      const theirs = calcPrice(
        {
          input_tokens: input,
          cache_read_tokens: cacheRead,
          cache_write_tokens: cacheWrite,
          output_tokens: output,
        },
        model,
        { providerId: ours.matchedProvider },
      )
      expect(theirs).not.toBeNull()
      expect(Math.abs(Number(ours.costUsd) - theirs!.total_price)).toBeLessThan(1e-12)
    }
  })
})

describe('priceCall per-request fees', () => {
  it('should add web searches at $10 per thousand to the token cost', () => {
    // claude-sonnet-4: 27118 × 3 + 600 × 15 per million = 0.090354, plus 2 × $0.01
    const cost = priceCall({
      provider: 'anthropic',
      model: 'claude-sonnet-4-20250514',
      usage: usage({ inputTokens: 27118, outputTokens: 600 }),
      requests: { webSearches: 2 },
    })
    expect(cost.costUsd).toBe('0.110354000000')
    expect(cost.inputCostUsd).toBe('0.081354000000')
    expect(cost.outputCostUsd).toBe('0.009000000000')
  })

  it('should add OpenAI file search calls at $2.50 per thousand', () => {
    // gpt-5-mini: 1433 × 0.25 + 2304 × 0.025 + 621 × 2 per million = 0.00165785, plus 3 × $0.0025
    // (three separate file search calls)
    const cost = priceCall({
      provider: 'openai',
      model: 'gpt-5-mini-2025-08-07',
      usage: usage({
        inputTokens: 3737,
        cacheReadTokens: 2304,
        outputTokens: 621,
        reasoningTokens: 512,
      }),
      requests: { fileSearches: 3 },
    })
    expect(cost.costUsd).toBe('0.009157850000')
  })
})
