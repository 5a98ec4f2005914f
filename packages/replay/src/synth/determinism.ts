import { createHash } from 'node:crypto'

/** JSON with object keys sorted, so equal values always serialize (and hash) alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null'
}

/** Hex SHA-256 of a string; the synthesizer's only source of variety. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

/** A uniform [0, 1) generator seeded from a hex digest (mulberry32). */
export function createRandom(seedHex: string): () => number {
  let state = Number.parseInt(seedHex.slice(0, 8), 16) >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Seed of a request: the body without its transport switches, so a streamed and a plain call
 * with the same prompt get the same text.
 */
export function requestSeed(body: Record<string, unknown>): string {
  const { stream: _stream, stream_options: _streamOptions, ...prompt } = body
  return sha256(canonicalJson(prompt))
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value === null || typeof value !== 'object') return value
  const sorted: Record<string, unknown> = {}
  for (const key of Object.keys(value).sort()) {
    sorted[key] = sortKeys((value as Record<string, unknown>)[key])
  }
  return sorted
}
