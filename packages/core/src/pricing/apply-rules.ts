import type { CatalogMatch } from './catalog'
import { usdToPico } from './decimal'
import {
  FEE_RULES,
  FILL_RULES,
  MULTIPLIER_RULES,
  STANDARD_TIERS,
  type FeeRule,
  type PriceTable,
} from './rules'

export interface RuleContext {
  at: Date
  /** `service_tier` as the provider reported it (or the batch marker), lower-cased. */
  serviceTier: string
  inferenceGeo: string
}

export interface RuledPrices {
  prices: PriceTable
  /** Exact multiplier on every token cost. */
  ratio: [bigint, bigint]
  /** Pico-dollars per call of each request unit the rules price. */
  fees: Partial<Record<FeeRule['unit'], bigint>>
  /** The service tier that changed the price, for the row's tier label; '' when standard. */
  serviceTier: string
  /** Rule ids applied, and what could not be priced, for the row's price reason. */
  notes: string[]
}

/** Applies agentmeter's rule table (rules.ts) to one catalog entry for one call. */
export function applyRules(match: CatalogMatch, context: RuleContext): RuledPrices {
  const notes: string[] = []
  let prices: PriceTable = { ...(match.prices as PriceTable) }
  const applies = (rule: { provider: string; model: RegExp; from?: string; until?: string }) =>
    rule.provider === match.provider && rule.model.test(match.model) && inEffect(rule, context.at)

  for (const rule of FILL_RULES) {
    if (!applies(rule)) continue
    const added = Object.entries(rule.fill(prices)).filter(
      ([key, value]) => value !== undefined && (rule.replace || prices[key] === undefined),
    )
    if (added.length === 0) continue
    prices = { ...prices, ...Object.fromEntries(added) }
    notes.push(`rule ${rule.id}`)
  }

  let ratio: [bigint, bigint] = [1n, 1n]
  let serviceTier = ''
  const tier = context.serviceTier
  if (!STANDARD_TIERS.has(tier)) {
    const rule = MULTIPLIER_RULES.find((r) => applies(r) && r.when.serviceTier === tier)
    if (rule) {
      ratio = multiply(ratio, rule.ratio)
      serviceTier = tier
      notes.push(`rule ${rule.id}`)
    } else {
      notes.push(
        `service tier ${tier} has no price rule for ${match.provider}/${match.model}; priced at the standard tier`,
      )
    }
  }
  if (context.inferenceGeo !== '') {
    const rule = MULTIPLIER_RULES.find(
      (r) => applies(r) && r.when.inferenceGeo === context.inferenceGeo,
    )
    if (rule) {
      ratio = multiply(ratio, rule.ratio)
      notes.push(`rule ${rule.id}`)
    }
  }

  const fees: RuledPrices['fees'] = {}
  for (const rule of FEE_RULES) {
    if (!applies(rule) || fees[rule.unit] !== undefined) continue
    fees[rule.unit] = usdToPico(rule.perCallUsd)
  }
  return { prices, ratio, fees, serviceTier, notes }
}

function inEffect(rule: { from?: string; until?: string }, at: Date): boolean {
  const day = at.toISOString().slice(0, 10)
  if (rule.from && day < rule.from) return false
  if (rule.until && day >= rule.until) return false
  return true
}

function multiply(a: [bigint, bigint], b: [bigint, bigint]): [bigint, bigint] {
  return [a[0] * b[0], a[1] * b[1]]
}
