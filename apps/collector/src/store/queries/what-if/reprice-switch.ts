import { priceCall, usdToPico, type PriceBook } from '@agentmeter/core'
import { HttpError } from '../../../errors'
import type { AcceptedSwitch } from './types'

/**
 * Prices calls as if they had run on a switch's suggested model: the same input tokens, output
 * tokens scaled by the switch's output ratio (rounded to a whole token), and no cache reads or
 * writes, since a new model starts with a cold cache. Prices are today's (`at`), from the same
 * catalog and project price book as ingest; results are exact pico-USD.
 */
export class SwitchPricer {
  readonly #cache = new Map<string, bigint>()

  constructor(
    private readonly priceBook: PriceBook,
    private readonly at: Date,
  ) {}

  /** Refuses a switch whose suggested model cannot be priced at all, naming it. */
  check(switches: readonly AcceptedSwitch[]): void {
    switches.forEach((item, index) => {
      const cost = this.#price(item, 1000, 1000)
      if (typeof cost === 'string') {
        throw new HttpError(
          400,
          `accepted[${index}].suggestedModel ${JSON.stringify(item.suggestedModel)} cannot be priced (${cost}); add a custom price or pick a priced model`,
        )
      }
    })
  }

  /** One call's projected cost in pico-USD. */
  callCost(item: AcceptedSwitch, inputTokens: number, outputTokens: number): bigint {
    const projectedOutput = Math.round(outputTokens * item.outputRatio)
    const key = `${item.suggestedProvider}\u0000${item.suggestedModel}\u0000${inputTokens}\u0000${projectedOutput}`
    const cached = this.#cache.get(key)
    if (cached !== undefined) return cached
    const cost = this.#price(item, inputTokens, projectedOutput)
    // `check` ran first, so only a catalog that cannot price this size is left: say so.
    if (typeof cost === 'string')
      throw new HttpError(400, `cannot price ${item.suggestedModel}: ${cost}`)
    this.#cache.set(key, cost)
    return cost
  }

  #price(item: AcceptedSwitch, inputTokens: number, outputTokens: number): bigint | string {
    const info = priceCall({
      provider: item.suggestedProvider,
      model: item.suggestedModel,
      usage: {
        inputTokens,
        outputTokens,
        cacheReadTokens: 0,
        cacheWriteTokens: 0,
        cacheWrite1hTokens: 0,
        reasoningTokens: 0,
      },
      timestamp: this.at,
      priceBook: this.priceBook,
    })
    if (!info.priced || info.costUsd === null) return info.reason
    return usdToPico(info.costUsd)
  }
}
