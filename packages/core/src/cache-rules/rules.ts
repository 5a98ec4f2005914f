/**
 * Provider prompt-cache rules, dated, as data: which prefixes a provider caches, for how long, and
 * from which size. Rules change often and sources disagree (knowledge/routing-redundancy.md, C1-C9),
 * so every entry names its source and the date it was read; the detectors look rules up by
 * provider and model prefix, the longest prefix winning.
 */
export interface CacheRule {
  provider: string
  /** Model id prefix this rule covers; '' covers every model of the provider. */
  modelPrefix: string
  /** Smallest cacheable prefix, in tokens. Below it nothing is cached. */
  minTokens: number
  /** Cached tokens are counted in steps of this size above the minimum (OpenAI: 128). */
  granularity: number
  /** How long an unused prefix stays cached, in seconds. */
  ttlSeconds: number
  /** True when the provider caches without a request marker (OpenAI, Gemini 2.5+, DeepSeek). */
  automatic: boolean
  /** Date the rule was read from the source. */
  asOf: string
  source: string
}

export const CACHE_RULES: readonly CacheRule[] = [
  {
    provider: 'openai',
    modelPrefix: '',
    minTokens: 1024,
    granularity: 128,
    ttlSeconds: 300,
    automatic: true,
    asOf: '2026-11-01',
    source: 'developers.openai.com prompt-caching guide; in-memory retention 5-10 min idle',
  },
  {
    provider: 'anthropic',
    modelPrefix: '',
    minTokens: 1024,
    granularity: 1,
    ttlSeconds: 300,
    automatic: false,
    asOf: '2026-11-01',
    source: 'platform.claude.com prompt-caching: 5 min default TTL, 1024 for Sonnet 4.x/Opus 4.1',
  },
  {
    provider: 'anthropic',
    modelPrefix: 'claude-opus-4-5',
    minTokens: 4096,
    granularity: 1,
    ttlSeconds: 300,
    automatic: false,
    asOf: '2026-11-01',
    source: 'platform.claude.com prompt-caching minimums (Opus 4.5/4.6, Haiku 4.5: 4096)',
  },
  {
    provider: 'anthropic',
    modelPrefix: 'claude-opus-4-6',
    minTokens: 4096,
    granularity: 1,
    ttlSeconds: 300,
    automatic: false,
    asOf: '2026-11-01',
    source: 'platform.claude.com prompt-caching minimums',
  },
  {
    provider: 'anthropic',
    modelPrefix: 'claude-haiku-4-5',
    minTokens: 4096,
    granularity: 1,
    ttlSeconds: 300,
    automatic: false,
    asOf: '2026-11-01',
    source: 'platform.claude.com prompt-caching minimums',
  },
  {
    provider: 'anthropic',
    modelPrefix: 'claude-3-5-haiku',
    minTokens: 2048,
    granularity: 1,
    ttlSeconds: 300,
    automatic: false,
    asOf: '2026-11-01',
    source: 'platform.claude.com prompt-caching minimums (Haiku 3.5/3: 2048)',
  },
  {
    provider: 'gcp.gemini',
    modelPrefix: '',
    minTokens: 2048,
    granularity: 1,
    ttlSeconds: 300,
    automatic: true,
    asOf: '2026-11-01',
    source: 'ai.google.dev gemini caching (implicit, 2048 in the later snapshot)',
  },
  {
    provider: 'deepseek',
    modelPrefix: '',
    minTokens: 64,
    granularity: 64,
    ttlSeconds: 3600,
    automatic: true,
    asOf: '2026-11-01',
    source: 'api-docs.deepseek.com context caching (64-token units, best effort)',
  },
]

/** The rule for a call, or null when the provider has no prompt cache we know of. */
export function findCacheRule(
  provider: string,
  model: string,
  rules: readonly CacheRule[] = CACHE_RULES,
): CacheRule | null {
  let best: CacheRule | null = null
  for (const rule of rules) {
    if (rule.provider !== provider || !model.startsWith(rule.modelPrefix)) continue
    if (!best || rule.modelPrefix.length > best.modelPrefix.length) best = rule
  }
  return best
}

/** The part of a shared prefix of `tokens` the provider would have cached under `rule`. */
export function cacheableTokens(rule: CacheRule, tokens: number): number {
  if (tokens < rule.minTokens) return 0
  const steps = Math.floor((tokens - rule.minTokens) / rule.granularity)
  return rule.minTokens + steps * rule.granularity
}
