import { picoToUsd, usdToPico } from './decimal'
import { findToolPrice, type PriceBook } from './price-book'

export interface ToolCost {
  /** Decimal USD of the call's fee, or null when neither the app nor the project priced it. */
  toolCostUsd: string | null
  /** `sdk` when the app reported the fee, `custom` when the project's tool catalog did. */
  source: 'sdk' | 'custom' | null
  reason: string
}

/**
 * The fee of one tool call. The app's own `agentmeter.tool.cost.usd` wins (it knows what that
 * call cost); otherwise the project's per-call price for the tool name in effect at `at`.
 */
export function priceToolCall(input: {
  toolName: string
  at: Date
  appCostUsd: string | null
  priceBook: PriceBook
}): ToolCost {
  if (input.appCostUsd !== null) {
    return { toolCostUsd: input.appCostUsd, source: 'sdk', reason: 'tool fee reported by the app' }
  }
  const price = findToolPrice(input.priceBook, input.toolName, input.at)
  if (!price) return { toolCostUsd: null, source: null, reason: 'tool spans are not billed' }
  return {
    toolCostUsd: picoToUsd(usdToPico(price.perCallUsd)),
    source: 'custom',
    reason: `tool price ${price.id} for ${price.toolName} since ${price.effectiveFrom.toISOString()}`,
  }
}
