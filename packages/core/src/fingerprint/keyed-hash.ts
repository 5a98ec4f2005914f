import { createHash, createHmac, type Hash } from 'node:crypto'
import type { HashKey } from './hash-key'

/**
 * A keyed 64-bit hash as 16 lowercase hex digits: the first 8 bytes of HMAC-SHA256. Keyed so a
 * dictionary of likely prompts cannot be matched against stored hashes without the project key.
 */
export function keyedHash64(key: HashKey, data: string): string {
  return createHmac('sha256', key.bytes).update(data).digest('hex').slice(0, 16)
}

/** Hash of `parts` joined unambiguously (each part length-prefixed). */
export function keyedHashParts(key: HashKey, parts: readonly string[]): string {
  return keyedHash64(key, parts.map((part) => `${part.length}:${part}`).join('|'))
}

const prefixed = new WeakMap<HashKey, Hash>()

/**
 * A cheaper keyed 64-bit hash for the many per-segment values of a prompt: SHA-256 of the key
 * followed by the data, from a copied pre-keyed state (about a third of an HMAC's cost). A
 * secret prefix is enough here: the values must resist dictionary matching, not forgery.
 */
export function prefixedHash64(key: HashKey, data: string): string {
  let base = prefixed.get(key)
  if (!base) {
    base = createHash('sha256').update(key.bytes).update('\u0000segment\u0000')
    prefixed.set(key, base)
  }
  return base.copy().update(data).digest('hex').slice(0, 16)
}
