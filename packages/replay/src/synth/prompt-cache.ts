import { sha256 } from './determinism'
import type { PromptBlock } from './prompt'
import { estimateTokens, promptChars } from './prompt'

/** Anthropic input usage: `inputTokens` excludes cache reads and writes, as the API reports it. */
export interface AnthropicInputUsage {
  inputTokens: number
  cacheReadTokens: number
  cacheWriteTokens: number
  cacheWrite5mTokens: number
  cacheWrite1hTokens: number
}

/** OpenAI input usage: `inputTokens` is the total, `cachedTokens` the part read from cache. */
export interface OpenAIInputUsage {
  inputTokens: number
  cachedTokens: number
}

// OpenAI caches prompts from 1,024 tokens on, in steps of 128 tokens
// (https://platform.openai.com/docs/guides/prompt-caching).
const OPENAI_MIN_CACHED_TOKENS = 1024
const OPENAI_CACHE_STEP_TOKENS = 128

interface Boundary {
  key: string
  chars: number
  cache?: PromptBlock['cache']
}

/**
 * The provider-side prompt caches of one replay server. Prefixes are remembered per provider and
 * model by a hash chained over the blocks, so a cache hit needs the same model and the same
 * content up to the boundary, as with the real services. Nothing expires: a replay run is short.
 */
export class PromptCache {
  readonly #seen = new Set<string>()

  /**
   * Anthropic explicit caching: the longest breakpoint prefix seen before is read, the blocks
   * from there to the last breakpoint are written (with that breakpoint's TTL), the rest is
   * plain input. Unlike the real service there is no minimum cacheable length.
   */
  anthropic(model: string, blocks: readonly PromptBlock[]): AnthropicInputUsage {
    const totalTokens = estimateTokens(promptChars(blocks))
    const breakpoints = boundaries(`anthropic\u0000${model}`, blocks).filter((b) => b.cache)
    const readIndex = breakpoints.findLastIndex((b) => this.#seen.has(b.key))
    const readTokens = readIndex < 0 ? 0 : estimateTokens(breakpoints[readIndex]!.chars)

    let cachedTokens = readTokens
    let write5m = 0
    let write1h = 0
    for (const breakpoint of breakpoints.slice(readIndex + 1)) {
      const upTo = estimateTokens(breakpoint.chars)
      if (breakpoint.cache === '1h') write1h += upTo - cachedTokens
      else write5m += upTo - cachedTokens
      cachedTokens = upTo
    }
    for (const breakpoint of breakpoints) this.#seen.add(breakpoint.key)

    return {
      inputTokens: totalTokens - cachedTokens,
      cacheReadTokens: readTokens,
      cacheWriteTokens: write5m + write1h,
      cacheWrite5mTokens: write5m,
      cacheWrite1hTokens: write1h,
    }
  }

  /**
   * OpenAI automatic caching: the longest prefix (at a block boundary) seen before is read when
   * it reaches 1,024 tokens, rounded down to a multiple of 128 tokens.
   */
  openai(model: string, blocks: readonly PromptBlock[]): OpenAIInputUsage {
    const inputTokens = estimateTokens(promptChars(blocks))
    const all = boundaries(`openai\u0000${model}`, blocks)
    const hit = all.findLastIndex((b) => this.#seen.has(b.key))
    for (const boundary of all) this.#seen.add(boundary.key)

    const prefixTokens = hit < 0 ? 0 : estimateTokens(all[hit]!.chars)
    const cachedTokens =
      prefixTokens < OPENAI_MIN_CACHED_TOKENS
        ? 0
        : prefixTokens - (prefixTokens % OPENAI_CACHE_STEP_TOKENS)
    return { inputTokens, cachedTokens }
  }
}

function boundaries(namespace: string, blocks: readonly PromptBlock[]): Boundary[] {
  let key = sha256(namespace)
  let chars = 0
  return blocks.map((block) => {
    key = sha256(`${key}\u0000${block.text}`)
    chars += block.text.length
    return block.cache ? { key, chars, cache: block.cache } : { key, chars }
  })
}
