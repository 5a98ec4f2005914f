import { canonicalJson } from './canonical-json'
import type { HashKey } from './hash-key'
import { keyedHashParts } from './keyed-hash'
import { estimateTokens } from './token-estimate'

/** Keyed hash of a tool call's name and canonical arguments. */
export function fingerprintToolArgs(key: HashKey, toolName: string, args: unknown): string {
  return keyedHashParts(key, ['tool-args', toolName, canonicalJson(args)])
}

/** Keyed hash of a tool's canonical result, and the tokens that result adds to later prompts. */
export function fingerprintToolResult(
  key: HashKey,
  result: unknown,
): { resultHash: string; resultTokens: number } {
  const text = typeof result === 'string' ? result : canonicalJson(result)
  return {
    resultHash: keyedHashParts(key, ['tool-result', text]),
    resultTokens: estimateTokens(text),
  }
}
