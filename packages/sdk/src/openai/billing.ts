import { mapOpenRouterUsage, STANDARD_TIERS } from '@agentmeter/core'
import type { CallOutcome } from '../llm/outcome'
import { asRecord, asString } from '../llm/shape'

/**
 * A service tier other than the standard one (`default`, `auto` bill at list price) and, from
 * OpenRouter (and other servers that send it), the bill in `usage.cost`, for the collector's
 * tier rules and its provider-reported cost.
 */
export function billing(serviceTier: unknown, usage: unknown): Partial<CallOutcome> {
  const billed: Partial<CallOutcome> = {}
  addBilling(billed, serviceTier, usage)
  return billed
}

/** `billing`, written onto `outcome` (no object of its own, for a stream's end). */
export function addBilling(outcome: Partial<CallOutcome>, serviceTier: unknown, usage: unknown) {
  const stated = asString(serviceTier)
  if (stated && !STANDARD_TIERS.has(stated.toLowerCase())) outcome.serviceTier = stated
  if (asRecord(usage)?.['cost'] === undefined) return
  const reported = mapOpenRouterUsage(usage)
  if (reported?.reportedCostUsd) outcome.reportedCostUsd = reported.reportedCostUsd
}
