import { CACHE_RULES, type CacheRule } from '@agentmeter/core'

/** Longest model prefix first, so `multiIf` picks the most specific rule as `findCacheRule` does. */
function ordered(rules: readonly CacheRule[]): CacheRule[] {
  return [...rules].sort((a, b) => b.modelPrefix.length - a.modelPrefix.length)
}

function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`
}

/**
 * A SQL expression giving `field` of the cache rule for (`provider`, `model`) columns, or
 * `fallback` for a provider without a known prompt cache. Generated from core's dated table so
 * the SQL and the TypeScript agree; the values are constants of this build, never user input.
 */
export function cacheRuleSql(
  field: 'minTokens' | 'granularity' | 'ttlSeconds',
  provider: string,
  model: string,
  fallback: number,
  rules: readonly CacheRule[] = CACHE_RULES,
): string {
  const branches = ordered(rules).flatMap((rule) => [
    `${provider} = ${quote(rule.provider)} AND startsWith(${model}, ${quote(rule.modelPrefix)})`,
    String(rule[field]),
  ])
  return `multiIf(${[...branches, String(fallback)].join(', ')})`
}

/** Tokens of a shared prefix the provider would have cached (0 below the minimum). */
export function cacheableSql(tokens: string, provider: string, model: string): string {
  return cacheableOfSql(
    tokens,
    cacheRuleSql('minTokens', provider, model, 0),
    cacheRuleSql('granularity', provider, model, 1),
  )
}

/**
 * The same from the rule's minimum and granularity as SQL (columns a query computed once per
 * call: the rule lookup is a long `multiIf`, slow to plan when repeated deep in a query).
 */
export function cacheableOfSql(tokens: string, min: string, step: string): string {
  return `if(${min} = 0 OR ${tokens} < ${min}, 0,
    ${min} + intDiv(${tokens} - ${min}, ${step}) * ${step})`
}

/**
 * How far the SDK's token estimate at a prefix boundary may be from the provider's count, as
 * a share of the estimate: one part in `ESTIMATE_ERROR_PARTS`. The estimate is four characters
 * a token over the canonical JSON of each segment, rescaled so the whole prompt equals the
 * input the provider reported (`scaleBoundaryTokens`); the total is exact, but a boundary moves
 * with the difference between the prefix's characters per token and the whole prompt's (JSON
 * quotes and escapes, message framing, prose against code: about 3 to 4.5 characters a token).
 */
export const ESTIMATE_ERROR_PARTS = 8

/**
 * True when the provider served (`served`) less than the cacheable part of the least an
 * estimated prefix of `tokens` can be (the estimate less its error bound): only then did it
 * surely leave part of that prefix uncached. A call served all but a few tokens of its
 * estimate, or one 128-token step less, is estimation noise, not a missed cache; so is a
 * prefix whose estimate passes the minimum by less than its error.
 */
export function servedLessThanSql(served: string, tokens: string, min: string, step: string) {
  const least = `(${tokens} - intDiv(${tokens} + ${ESTIMATE_ERROR_PARTS - 1}, ${ESTIMATE_ERROR_PARTS}))`
  return `toInt64(${served}) < toInt64(${cacheableOfSql(least, min, step)})`
}
