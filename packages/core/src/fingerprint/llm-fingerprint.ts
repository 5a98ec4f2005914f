import { performance } from 'node:perf_hooks'
import { canonicalJson } from './canonical-json'
import type { HashKey } from './hash-key'
import { keyedHashParts, prefixedHash64 } from './keyed-hash'
import { MinhashBuilder, minhashBands } from './minhash'
import { prefixChain, segmentDigest } from './prefix-chain'
import { textOf } from './text-of'

/** A provider call reduced to what fingerprints cover, whatever the client's request shape. */
export interface FingerprintRequest {
  model: string
  /** Generation parameters (temperature, top_p, max_tokens, n, seed, response format, ...). */
  params: Record<string, unknown>
  /** A system prompt given outside the messages (Anthropic `system`), if any. */
  system?: unknown
  /** Tool schema as sent. */
  tools?: unknown
  messages: readonly unknown[]
}

/** The keyed fingerprints of one request (16-hex values; empty string when not applicable). */
export interface RequestFingerprints {
  requestHash: string
  systemHash: string
  toolsHash: string
  prefixHashes: string[]
  /** Estimated cumulative tokens at each prefix boundary; rescale with the reported input. */
  prefixTokenEstimates: number[]
  minhash: string[]
}

const SYSTEM_ROLES = new Set(['system', 'developer'])

/**
 * Fingerprints of a request. The prefix chain runs over tools, then system, then messages (the
 * order providers build their cache prefix in); the request hash extends the chain's last link
 * with the generation parameters, so an exact duplicate is the same model, parameters, messages
 * and tools; the MinHash covers the variable tail (the last message).
 */
export function fingerprintRequest(key: HashKey, request: FingerprintRequest): RequestFingerprints {
  const hasTools = request.tools !== undefined && request.tools !== null
  const hasSystem = request.system !== undefined && request.system !== null
  const segments: unknown[] = []
  // The caller's own objects go in as segments, so repeated calls hit the digest cache.
  if (hasTools) segments.push(request.tools)
  if (hasSystem) segments.push(request.system)
  segments.push(...request.messages)

  const chain = prefixChain(key, request.model, segments)
  const last = chain.hashes[chain.hashes.length - 1] ?? ''
  const inlineSystem = request.messages.filter((message) =>
    SYSTEM_ROLES.has(String((message as { role?: unknown } | null)?.role ?? '')),
  )
  const systemParts = hasSystem ? [request.system] : inlineSystem
  const tail = request.messages[request.messages.length - 1]
  return {
    requestHash: keyedHashParts(key, [
      'request',
      request.model,
      last,
      canonicalJson(request.params),
    ]),
    systemHash:
      systemParts.length === 0
        ? ''
        : prefixedHash64(
            key,
            `system:${systemParts.map((part) => segmentDigest(key, part).hash).join(',')}`,
          ),
    toolsHash: hasTools
      ? prefixedHash64(key, `tools:${segmentDigest(key, request.tools).hash}`)
      : '',
    prefixHashes: chain.hashes,
    prefixTokenEstimates: chain.estimatedTokens,
    minhash: tail === undefined ? [] : tailMinhash(key, tail),
  }
}

/**
 * Hash of a response's content (text and tool calls, ids removed since providers mint fresh ids
 * for identical answers): equal hashes mean the model answered the same.
 */
export function fingerprintResponse(key: HashKey, content: unknown): string {
  return keyedHashParts(key, ['response', canonicalJson(withoutIds(content))])
}

function withoutIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutIds)
  if (value === null || typeof value !== 'object') return value
  const out: Record<string, unknown> = {}
  for (const [name, item] of Object.entries(value)) {
    if (name === 'id' || name === 'tool_call_id' || name === 'call_id') continue
    out[name] = withoutIds(item)
  }
  return out
}

const minhashCache = new WeakMap<HashKey, WeakMap<object, string[]>>()

function minhashCacheOf(key: HashKey): WeakMap<object, string[]> {
  let cache = minhashCache.get(key)
  if (!cache) {
    cache = new WeakMap()
    minhashCache.set(key, cache)
  }
  return cache
}

/** MinHash bands of the last message, cached by object identity like the segment digests. */
function tailMinhash(key: HashKey, tail: unknown): string[] {
  if (tail === null || typeof tail !== 'object') return minhashBands(key, textOf(tail))
  const cache = minhashCacheOf(key)
  const hit = cache.get(tail)
  if (hit) return hit
  const bands = minhashBands(key, textOf(tail))
  cache.set(tail, bands)
  return bands
}

/** Work toward a request's fingerprints that can run in slices, ahead of `fingerprintRequest`. */
export interface ResumableWork {
  /** Works until `deadline` (ms, `performance.now()` clock); true when nothing is left. */
  step(deadline: number): boolean
}

/**
 * The long parts of `fingerprintRequest` as resumable work: the digest of each segment object
 * (serialized and hashed once, then cached by identity) and the MinHash of the last message
 * (milliseconds for a long tool output). Once it is done, `fingerprintRequest` finds them in its
 * caches, so its values are those it computes in one go. One segment is the smallest slice.
 */
export function resumableRequestWork(key: HashKey, request: FingerprintRequest): ResumableWork {
  const tail = request.messages[request.messages.length - 1]
  const cache = minhashCacheOf(key)
  const hasTail = tail !== null && typeof tail === 'object' && !cache.has(tail)
  // The segments whose digests are cached by identity, one per look at the clock.
  const segments = [request.tools, request.system, ...request.messages].filter(
    (segment) => segment !== null && typeof segment === 'object',
  )
  let next = 0
  let builder: MinhashBuilder | undefined
  return {
    // Each step does at least one unit (a segment's digest, splitting the tail into words, a
    // run of shingles), and looks at the clock between units.
    step(deadline) {
      let units = 0
      const late = () => units++ > 0 && performance.now() >= deadline
      while (next < segments.length) {
        if (late()) return false
        segmentDigest(key, segments[next++])
      }
      if (!hasTail || cache.has(tail)) return true
      if (!builder) {
        if (late()) return false
        builder = new MinhashBuilder(key, textOf(tail))
      }
      if (late() || !builder.step(deadline)) return false
      cache.set(tail, builder.bands())
      return true
    },
  }
}
