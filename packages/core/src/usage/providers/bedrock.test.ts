import { describe, expect, it } from 'vitest'
import { mapBedrockConverseUsage } from './bedrock'
import { mapOpenRouterUsage } from './openrouter'

describe('mapBedrockConverseUsage', () => {
  it('should add cache reads and writes to the uncached input and split writes by TTL', () => {
    expect(
      mapBedrockConverseUsage({
        inputTokens: 10,
        outputTokens: 20,
        cacheReadInputTokens: 300,
        cacheWriteInputTokens: 1000,
        cacheDetails: [
          { ttl: '5m', inputTokens: 400 },
          { ttl: '1h', inputTokens: 600 },
        ],
      }),
    ).toEqual({
      usage: {
        inputTokens: 1310,
        outputTokens: 20,
        cacheReadTokens: 300,
        cacheWriteTokens: 1000,
        cacheWrite1hTokens: 600,
        reasoningTokens: 0,
      },
      notes: [],
    })
  })

  it('should repair impossible counts with a note instead of throwing', () => {
    const mapped = mapBedrockConverseUsage({
      inputTokens: -3,
      outputTokens: 'many',
      cacheWriteInputTokens: 10,
      cacheDetails: [{ ttl: '1h', inputTokens: 50 }],
    })
    expect(mapped?.usage).toMatchObject({
      inputTokens: 50,
      cacheWriteTokens: 50,
      cacheWrite1hTokens: 50,
    })
    expect(mapped?.notes).toEqual([
      'inputTokens was -3, expected a non-negative integer; counted as 0',
      'outputTokens was "many", expected a number; ignored',
      'cacheDetails total (50) exceeded cacheWriteInputTokens (10); cache writes raised to match',
    ])
  })

  it('should answer null without usage', () => {
    expect(mapBedrockConverseUsage(undefined)).toBeNull()
    expect(mapBedrockConverseUsage({ stopReason: 'end_turn' })).toBeNull()
  })
})

describe('mapOpenRouterUsage', () => {
  it('should keep the reported cost, adding the upstream cost of a bring-your-own-key call', () => {
    expect(
      mapOpenRouterUsage({ prompt_tokens: 10, completion_tokens: 5, cost: 0.00012 })
        ?.reportedCostUsd,
    ).toBe('0.000120000000')
    expect(
      mapOpenRouterUsage({
        prompt_tokens: 10,
        completion_tokens: 5,
        cost: 0.00001,
        is_byok: true,
        cost_details: { upstream_inference_cost: 0.0002 },
      })?.reportedCostUsd,
    ).toBe('0.000210000000')
    const negative = mapOpenRouterUsage({ prompt_tokens: 1, completion_tokens: 1, cost: -1 })
    expect(negative).toMatchObject({ reportedCostUsd: null })
    expect(negative?.notes).toContain('cost was -1, expected a non-negative number of USD; ignored')
  })
})
