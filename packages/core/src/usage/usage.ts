/**
 * Token usage of one call in the OTel GenAI convention: `inputTokens` counts every token the
 * model read, cache reads and cache writes included; `outputTokens` counts every token it wrote,
 * reasoning included. The other counts are parts of those totals.
 */
export interface Usage {
  inputTokens: number
  outputTokens: number
  cacheReadTokens: number
  /** All cache writes, both TTLs. */
  cacheWriteTokens: number
  /** The part of `cacheWriteTokens` written with a 1-hour TTL (Anthropic). */
  cacheWrite1hTokens: number
  reasoningTokens: number
}

export const ZERO_USAGE: Usage = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWriteTokens: 0,
  cacheWrite1hTokens: 0,
  reasoningTokens: 0,
})

/** Input tokens read at the full rate: the total less cache reads and writes, never below 0. */
export function uncachedInputTokens(usage: Usage): number {
  return Math.max(0, usage.inputTokens - usage.cacheReadTokens - usage.cacheWriteTokens)
}
