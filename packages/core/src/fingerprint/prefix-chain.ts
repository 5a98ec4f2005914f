import { canonicalJson } from './canonical-json'
import type { HashKey } from './hash-key'
import { prefixedHash64 } from './keyed-hash'
import { estimateTokens } from './token-estimate'

/** Hashes of one prompt's prefix at every segment boundary, with cumulative estimated tokens. */
export interface PrefixChain {
  hashes: string[]
  estimatedTokens: number[]
}

export interface SegmentDigest {
  hash: string
  tokens: number
}

/**
 * Per-key cache of segment digests by object identity: agent loops resend the same message
 * objects on every call, so each message is serialized and hashed once, not once per call.
 */
const digestCache = new WeakMap<HashKey, WeakMap<object, SegmentDigest>>()

/** The keyed digest and estimated tokens of one segment, cached by object identity. */
export function segmentDigest(key: HashKey, segment: unknown): SegmentDigest {
  const cacheable = segment !== null && typeof segment === 'object'
  let cache = digestCache.get(key)
  if (cacheable) {
    const hit = cache?.get(segment)
    if (hit) return hit
  }
  const text = canonicalJson(segment)
  const value = { hash: prefixedHash64(key, text), tokens: estimateTokens(text) }
  if (cacheable) {
    if (!cache) {
      cache = new WeakMap()
      digestCache.set(key, cache)
    }
    cache.set(segment, value)
  }
  return value
}

/** Chain links already computed, by (previous link, segment digest); bounded, then reset. */
const linkCache = new WeakMap<HashKey, Map<string, string>>()
const MAX_LINKS = 100_000

function link(key: HashKey, previous: string, segment: string): string {
  let cache = linkCache.get(key)
  if (!cache) {
    cache = new Map()
    linkCache.set(key, cache)
  }
  const id = previous + segment
  const hit = cache.get(id)
  if (hit) return hit
  const value = prefixedHash64(key, `chain:${id}`)
  if (cache.size >= MAX_LINKS) cache.clear()
  cache.set(id, value)
  return value
}

/**
 * The chained prefix hash h_k = H(h_{k-1} ‖ H(segment_k)) over the prompt's segments in the order
 * providers cache them (tools, system, then messages). The chain is seeded with the model, since
 * a provider's prompt cache is per model: equal hashes at boundary k mean the same model saw the
 * same first k segments.
 */
export function prefixChain(
  key: HashKey,
  model: string,
  segments: readonly unknown[],
): PrefixChain {
  const hashes: string[] = []
  const estimatedTokens: number[] = []
  let previous = prefixedHash64(key, `model:${model}`)
  let tokens = 0
  for (const segment of segments) {
    const part = segmentDigest(key, segment)
    previous = link(key, previous, part.hash)
    tokens += part.tokens
    hashes.push(previous)
    estimatedTokens.push(tokens)
  }
  return { hashes, estimatedTokens }
}
