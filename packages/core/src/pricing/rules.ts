import type { TieredPrices } from '@pydantic/genai-prices'
import type { PriceValue } from './catalog'

/**
 * agentmeter's own price rules, for what genai-prices 0.1.8 does not model. Each rule is dated
 * (`from` / `until`, UTC days, `until` exclusive) and cites where its numbers come from. The
 * rules are data; `apply-rules.ts` is the only code that reads them. Compiled 2026-12-04 from
 * the sources named beside each rule, without fetching them: re-check them on a catalog bump.
 */

/** Prices keyed like the catalog's ($/Mtok, $/1,000 calls). */
export type PriceTable = Record<string, PriceValue>

interface Dated {
  id: string
  /** First UTC day the rule applies, inclusive. */
  from?: string
  /** First UTC day it no longer applies. */
  until?: string
  source: string
}

/**
 * Adds prices the catalog entry lacks; keys the entry already has are left alone unless the
 * rule `replace`s them (a tier the catalog flattened).
 */
export interface FillRule extends Dated {
  replace?: boolean
  /** Matched catalog provider id. */
  provider: string
  /** Matched catalog model id. */
  model: RegExp
  fill(prices: PriceTable): PriceTable
}

export const FILL_RULES: readonly FillRule[] = [
  {
    id: 'bedrock-claude-1h-cache-write',
    provider: 'aws',
    model: /anthropic\.claude/,
    // Bedrock bills 1-hour prompt-cache writes at 2x the input price, like Anthropic's API;
    // genai-prices' Bedrock entries only carry the 5-minute (1.25x) write price.
    // https://aws.amazon.com/bedrock/pricing/ and
    // https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#pricing
    source: 'aws.amazon.com/bedrock/pricing; Anthropic prompt caching multipliers',
    fill: (prices) => ({ cache_write_1h_mtok: scaleValue(prices.input_mtok, 2) }),
  },
  {
    id: 'claude-sonnet-4-long-context',
    provider: 'anthropic',
    model: /^claude-sonnet-4-0$/,
    // The 1M-context beta of Claude Sonnet 4 billed the whole request at the long rates above
    // 200k input tokens; genai-prices has no tier for it. Retired 2026-04-30 (genai-prices'
    // own note on Sonnet 4.5). https://docs.anthropic.com/en/docs/build-with-claude/context-windows
    // and LiteLLM's claude-sonnet-4-20250514 `*_above_200k_tokens` fields.
    until: '2026-04-30',
    replace: true,
    source: 'Anthropic long context pricing; LiteLLM claude-sonnet-4-20250514',
    fill: () => ({
      input_mtok: tier(3, 6),
      output_mtok: tier(15, 22.5),
      cache_write_mtok: tier(3.75, 7.5),
      cache_write_1h_mtok: tier(6, 12),
      cache_read_mtok: tier(0.3, 0.6),
    }),
  },
]

/** A multiplier on every token price of a call (not on per-call fees). */
export interface MultiplierRule extends Dated {
  provider: string
  model: RegExp
  /** `service_tier` (batch, flex, priority) or `inference_geo` value the rule prices. */
  when: { serviceTier?: string; inferenceGeo?: string }
  /** Exact ratio: numerator / denominator. */
  ratio: [bigint, bigint]
}

const HALF: [bigint, bigint] = [1n, 2n]

export const MULTIPLIER_RULES: readonly MultiplierRule[] = [
  // Batch APIs: 50% off input and output, stacking with cache prices.
  // https://platform.openai.com/docs/guides/batch, https://docs.anthropic.com/en/docs/build-with-claude/batch-processing#pricing,
  // https://ai.google.dev/gemini-api/docs/batch-mode
  {
    id: 'openai-batch',
    provider: 'openai',
    model: /./,
    when: { serviceTier: 'batch' },
    ratio: HALF,
    source: 'OpenAI Batch API',
  },
  {
    id: 'azure-batch',
    provider: 'azure',
    model: /./,
    when: { serviceTier: 'batch' },
    ratio: HALF,
    source: 'Azure OpenAI Global Batch',
  },
  {
    id: 'anthropic-batch',
    provider: 'anthropic',
    model: /./,
    when: { serviceTier: 'batch' },
    ratio: HALF,
    source: 'Anthropic Message Batches',
  },
  {
    id: 'google-batch',
    provider: 'google',
    model: /./,
    when: { serviceTier: 'batch' },
    ratio: HALF,
    source: 'Gemini Batch Mode',
  },
  // Flex processing: batch prices on synchronous calls.
  // https://platform.openai.com/docs/guides/flex-processing, Google's Gemini optimization page
  {
    id: 'openai-flex',
    provider: 'openai',
    model: /./,
    when: { serviceTier: 'flex' },
    ratio: HALF,
    source: 'OpenAI Flex processing',
  },
  {
    id: 'google-flex',
    provider: 'google',
    model: /./,
    when: { serviceTier: 'flex' },
    ratio: HALF,
    source: 'Gemini Flex',
  },
  // Priority processing, per family, from the Priority column of https://openai.com/api/pricing/
  // (gpt-5 $1.25 -> $2.50, gpt-5-mini $0.25 -> $0.45, gpt-4.1 $2 -> $3.50, gpt-4o $2.50 -> $4.25,
  // o3 $2 -> $3.50, o4-mini $1.10 -> $2).
  {
    id: 'openai-priority-gpt-5',
    provider: 'openai',
    model: /^gpt-5(-chat)?(-latest)?$/,
    when: { serviceTier: 'priority' },
    ratio: [2n, 1n],
    source: 'OpenAI Priority processing',
  },
  {
    id: 'openai-priority-gpt-5-mini',
    provider: 'openai',
    model: /^gpt-5-mini$/,
    when: { serviceTier: 'priority' },
    ratio: [9n, 5n],
    source: 'OpenAI Priority processing',
  },
  {
    id: 'openai-priority-gpt-4.1',
    provider: 'openai',
    model: /^gpt-4\.1$/,
    when: { serviceTier: 'priority' },
    ratio: [7n, 4n],
    source: 'OpenAI Priority processing',
  },
  {
    id: 'openai-priority-gpt-4o',
    provider: 'openai',
    model: /^gpt-4o$/,
    when: { serviceTier: 'priority' },
    ratio: [17n, 10n],
    source: 'OpenAI Priority processing',
  },
  {
    id: 'openai-priority-o3',
    provider: 'openai',
    model: /^o3$/,
    when: { serviceTier: 'priority' },
    ratio: [7n, 4n],
    source: 'OpenAI Priority processing',
  },
  {
    id: 'openai-priority-o4-mini',
    provider: 'openai',
    model: /^o4-mini$/,
    when: { serviceTier: 'priority' },
    ratio: [20n, 11n],
    source: 'OpenAI Priority processing',
  },
  // Anthropic US-only inference (`inference_geo: "us"`) costs 1.1x on Opus 4.6; LiteLLM's
  // `provider_specific_entry.us` for claude-opus-4-6.
  {
    id: 'anthropic-us-geo-opus-4-6',
    provider: 'anthropic',
    model: /^claude-opus-4-6/,
    when: { inferenceGeo: 'us' },
    ratio: [11n, 10n],
    from: '2026-02-05',
    source: 'Anthropic data residency; LiteLLM claude-opus-4-6',
  },
]

/** Service tiers billed at the standard price: no rule needed, nothing to note. */
export const STANDARD_TIERS: ReadonlySet<string> = new Set([
  '',
  'default',
  'auto',
  'standard',
  'on_demand',
  'scale',
])

/** A per-call fee for a hosted tool when the catalog entry has none. */
export interface FeeRule extends Dated {
  provider: string
  model: RegExp
  /** Request unit (see `RequestCounts`). */
  unit: 'webSearches' | 'fileSearches' | 'codeExecutions'
  /** USD per call, as a decimal string. */
  perCallUsd: string
}

export const FEE_RULES: readonly FeeRule[] = [
  // Grounding with Google Search: $35 / 1,000 grounded prompts on Gemini 2.x, $14 / 1,000
  // search queries on Gemini 3. https://ai.google.dev/gemini-api/docs/pricing
  {
    id: 'gemini-2-grounding',
    provider: 'google',
    model: /^gemini-2/,
    unit: 'webSearches',
    perCallUsd: '0.035',
    source: 'Gemini API pricing, grounding',
  },
  {
    id: 'gemini-3-grounding',
    provider: 'google',
    model: /^gemini-3/,
    unit: 'webSearches',
    perCallUsd: '0.014',
    source: 'Gemini API pricing, grounding',
  },
  // Code Interpreter: $0.03 per container session. https://openai.com/api/pricing/ (built-in tools)
  {
    id: 'openai-code-interpreter',
    provider: 'openai',
    model: /./,
    unit: 'codeExecutions',
    perCallUsd: '0.03',
    source: 'OpenAI built-in tools pricing',
  },
]

/**
 * Inference prices of OpenAI fine-tuned models, by base snapshot ($/Mtok: input, cached input,
 * output), from the fine-tuning table of https://openai.com/api/pricing/. A `ft:` model whose
 * base is not listed stays unpriced until the project adds a custom price for it.
 */
export const FINE_TUNE_PRICES: Readonly<
  Record<string, { input: number; cacheRead?: number; output: number }>
> = {
  'gpt-4o-2024-08-06': { input: 3.75, cacheRead: 1.875, output: 15 },
  'gpt-4o-mini-2024-07-18': { input: 0.3, cacheRead: 0.15, output: 1.2 },
  'gpt-4.1-2025-04-14': { input: 3, cacheRead: 0.75, output: 12 },
  'gpt-4.1-mini-2025-04-14': { input: 0.8, cacheRead: 0.2, output: 3.2 },
  'gpt-4.1-nano-2025-04-14': { input: 0.2, cacheRead: 0.05, output: 0.8 },
  'gpt-3.5-turbo-0125': { input: 3, output: 6 },
  'gpt-3.5-turbo-1106': { input: 3, output: 6 },
}

function tier(base: number, long: number): TieredPrices {
  return { base, tiers: [{ start: 200_000, price: long }] }
}

/** A price (flat or tiered) times a small integer, keeping its tiers. */
function scaleValue(value: PriceValue, factor: number): PriceValue {
  if (value === undefined) return undefined
  if (typeof value === 'number') return value * factor
  return {
    base: value.base * factor,
    tiers: value.tiers.map((entry) => ({ start: entry.start, price: entry.price * factor })),
  }
}
