import { picoToUsd, usdToPico } from '../pricing/decimal'
import type { CostInfo } from '../span/row'
import type { ReportedCost } from './conventions'

/**
 * Which cost a priced row uses, written down in `price_reason`:
 *
 * 1. A cost the provider itself billed (OpenRouter's `usage.cost`) is what the call cost: the
 *    row uses it (`provider`), whatever the catalog says; the computed figure is in the reason.
 * 2. Otherwise agentmeter's catalog price (`computed`), when the call could be priced. An
 *    instrumentation's own estimate (OpenLIT `gen_ai.usage.cost`, Pydantic AI `operation.cost`,
 *    OpenInference `llm.cost.*`, Langfuse `cost_details`) comes from its own price table, so it
 *    is kept beside the computed cost in `reported_cost_usd`, not used.
 * 3. When the catalog cannot price the call, a reported estimate is used (`provider`), then the
 *    SDK's informational price (`sdk`); otherwise the row stays unpriced (never $0).
 */
export function chooseCost(
  computed: CostInfo,
  reported: ReportedCost | null,
  reportedUsd: string | null,
  sdkCostUsd: string | null,
): CostInfo {
  if (reported && reportedUsd !== null && (reported.billed || !computed.priced)) {
    const why = computed.priced
      ? `billed cost reported by the provider (${reported.source}); catalog price was ${computed.costUsd} USD`
      : `collector could not price (${computed.reason}); using the cost reported in ${reported.source}`
    return {
      ...computed,
      priced: true,
      costUsd: reportedUsd,
      // The reported figure has no input / output split of its own.
      inputCostUsd: null,
      outputCostUsd: null,
      source: 'provider',
      reason: why,
    }
  }
  if (computed.priced) {
    if (reported && reportedUsd !== null) {
      const verdict = reportedUsd === computed.costUsd ? 'matches' : 'differs from'
      return {
        ...computed,
        reason: `reported estimate ${reportedUsd} USD (${reported.source}) ${verdict} the computed cost; computed used`,
      }
    }
    return computed
  }
  if (sdkCostUsd === null) return computed
  return {
    ...computed,
    priced: true,
    costUsd: sdkCostUsd,
    source: 'sdk',
    reason: `collector could not price (${computed.reason}); using the SDK's price`,
  }
}

/** Above this a reported amount is corrupt, not a cost (and `Decimal(38, 12)` ends at 10^26). */
const MAX_REPORTED_USD = 1e12

/** A USD amount as a `Decimal(38, 12)` string, or null when it cannot be one. */
export function toUsdString(usd: number | undefined): string | null {
  if (usd === undefined || !Number.isFinite(usd) || usd < 0 || usd > MAX_REPORTED_USD) return null
  try {
    return picoToUsd(usdToPico(usd))
  } catch {
    return null
  }
}
