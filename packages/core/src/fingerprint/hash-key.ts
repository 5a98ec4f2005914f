import { createHash, createHmac } from 'node:crypto'

/** Label the project key is derived under; changing it changes every hash of every project. */
const DERIVATION_LABEL = 'agentmeter.fingerprint.v1'

/** The secret all fingerprints of one project are keyed with. It never leaves the agent. */
export interface HashKey {
  readonly bytes: Buffer
}

/**
 * The project's fingerprint key: `AGENTMETER_HASH_KEY` when given, otherwise HMAC-SHA256 of a fixed
 * label under the project's API key. The server stores only SHA-256 of the API key, which is a
 * different function, so it cannot recompute the key. Every process holding the same API key (or
 * hash key) hashes alike; rotating either starts a new hash space, so calls made before and after
 * a rotation never match each other (detectors see them as distinct until old data ages out).
 * Returns null when there is neither: fingerprints are then not computed.
 */
export function deriveHashKey(source: {
  hashKey?: string | undefined
  apiKey?: string | undefined
}): HashKey | null {
  const explicit = source.hashKey?.trim()
  if (explicit) return { bytes: createHash('sha256').update(`hash-key:${explicit}`).digest() }
  const apiKey = source.apiKey?.trim()
  if (apiKey) return { bytes: createHmac('sha256', apiKey).update(DERIVATION_LABEL).digest() }
  return null
}
