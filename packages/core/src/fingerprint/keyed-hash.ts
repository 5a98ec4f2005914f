import { createHmac } from 'node:crypto'
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
