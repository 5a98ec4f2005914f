import { describe, expect, it } from 'vitest'
import { COST_CASES, type CostCase } from '../test-support/cost-cases'
import {
  mapAnthropicUsage,
  mapBedrockConverseUsage,
  mapGeminiUsage,
  mapOpenAIChatUsage,
  mapOpenRouterUsage,
  mergeAnthropicStreamUsage,
} from '../usage/providers'
import type { Usage } from '../usage/usage'
import { usdToPico } from './decimal'
import { priceCall } from './price'
import { EMPTY_PRICE_BOOK } from './price-book'

/** The SDK's path: the provider's raw usage through core's mapper, then `priceCall`. */
function mapRaw(testCase: CostCase): { usage: Usage | null; reportedCostUsd: string | null } {
  switch (testCase.api) {
    case 'anthropic':
      return { usage: mapAnthropicUsage(testCase.raw)?.usage ?? null, reportedCostUsd: null }
    case 'anthropic-stream': {
      let seen: Record<string, unknown> | null = null
      for (const event of testCase.raw as unknown[]) seen = mergeAnthropicStreamUsage(seen, event)
      return { usage: mapAnthropicUsage(seen)?.usage ?? null, reportedCostUsd: null }
    }
    case 'bedrock':
      return { usage: mapBedrockConverseUsage(testCase.raw)?.usage ?? null, reportedCostUsd: null }
    case 'openai-chat':
      return { usage: mapOpenAIChatUsage(testCase.raw)?.usage ?? null, reportedCostUsd: null }
    case 'gemini':
      return { usage: mapGeminiUsage(testCase.raw)?.usage ?? null, reportedCostUsd: null }
    case 'openrouter': {
      const mapped = mapOpenRouterUsage(testCase.raw)
      return { usage: mapped?.usage ?? null, reportedCostUsd: mapped?.reportedCostUsd ?? null }
    }
  }
}

describe('cost cases from public bug reports, through the SDK path', () => {
  it.each(COST_CASES.map((testCase) => [testCase.id, testCase] as const))(
    'should price %s exactly',
    (_id, testCase) => {
      const { usage, reportedCostUsd } = mapRaw(testCase)
      expect(usage).toEqual(testCase.usage)

      const cost = priceCall({
        provider: testCase.provider,
        model: testCase.responseModel ?? testCase.requestModel,
        requestModel: testCase.requestModel,
        responseModel: testCase.responseModel ?? '',
        usage,
        timestamp: new Date(testCase.at),
        providerUrl: testCase.providerUrl,
        serviceTier: testCase.serviceTier,
        reportedCostUsd,
        priceBook: { ...EMPTY_PRICE_BOOK, deployments: testCase.deployments ?? {} },
      })

      if (testCase.costUsd === null) {
        expect(cost).toMatchObject({ priced: false, costUsd: null })
        expect(cost.reason).not.toBe('')
        return
      }
      expect(cost.priced).toBe(true)
      expect(usdToPico(cost.costUsd!)).toBe(usdToPico(testCase.costUsd))
      expect(Math.abs(Number(cost.costUsd) - Number(testCase.costUsd))).toBeLessThan(1e-9)
      expect(cost.source).toBe(testCase.source ?? 'computed')
      if (testCase.tier) expect(cost.tier).toBe(testCase.tier)
    },
  )
})
