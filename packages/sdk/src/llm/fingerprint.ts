import type { Attributes } from '@opentelemetry/api'
import {
  Agentmeter,
  fingerprintRequest,
  fingerprintResponse,
  type FingerprintRequest,
  type HashKey,
} from '@agentmeter/core'
import { hashKey } from '../state'
import type { ResponsePart } from './response-content'
import { asArray, asString, type Json } from './shape'

/** Which request body layout a client method sends. */
export type RequestShape = 'openai-chat' | 'openai-responses' | 'anthropic-messages'

/** Body members that are not generation parameters: content, transport and bookkeeping. */
const NOT_PARAMS = new Set([
  'model',
  'messages',
  'input',
  'system',
  'instructions',
  'tools',
  'stream',
  'stream_options',
  'metadata',
  'user',
  'store',
  'prompt_cache_key',
])

/** The request attributes of the fingerprints, and the boundary token estimates to rescale. */
export interface RequestFingerprintAttributes {
  attributes: Attributes
  prefixTokenEstimates: number[]
}

function toFingerprintRequest(body: Json, shape: RequestShape): FingerprintRequest {
  const params: Record<string, unknown> = {}
  for (const name of Object.keys(body)) {
    if (!NOT_PARAMS.has(name)) params[name] = body[name]
  }
  const model = asString(body['model']) ?? ''
  const tools = body['tools'] ?? undefined
  if (shape === 'openai-responses') {
    const input = body['input']
    const messages = typeof input === 'string' ? [{ role: 'user', content: input }] : asArray(input)
    return {
      model,
      params,
      system: body['instructions'] ?? undefined,
      tools,
      messages: [...messages],
    }
  }
  return {
    model,
    params,
    system: shape === 'anthropic-messages' ? (body['system'] ?? undefined) : undefined,
    tools,
    // A copy of the list: an agent loop appends to its own list once the call returns, and the
    // fingerprints may be computed later (at export). The message objects are shared, as the
    // digest caches expect: agents resend them unchanged.
    messages: [...asArray(body['messages'])],
  }
}

/** A request as the fingerprints will see it, taken when the call starts. */
export interface PendingRequestFingerprint {
  key: HashKey
  request: FingerprintRequest
}

/**
 * What the request fingerprints need, read when the call starts (cheap: no hashing), or null
 * when no hash key is configured. Only keyed hashes of it ever leave the process.
 */
export function captureRequestFingerprint(
  body: Json | undefined,
  shape: RequestShape,
): PendingRequestFingerprint | null {
  const key = hashKey()
  if (!key || !body) return null
  return { key, request: toFingerprintRequest(body, shape) }
}

/**
 * The request fingerprints as span attributes (`agentmeter.request.hash` and the
 * `agentmeter.prompt.*` hashes).
 */
export function requestFingerprints({
  key,
  request,
}: PendingRequestFingerprint): RequestFingerprintAttributes {
  const fp = fingerprintRequest(key, request)
  const attributes: Attributes = {
    [Agentmeter.requestHash]: fp.requestHash,
    [Agentmeter.prefixHashes]: fp.prefixHashes,
  }
  if (fp.systemHash) attributes[Agentmeter.systemHash] = fp.systemHash
  if (fp.toolsHash) attributes[Agentmeter.toolsHash] = fp.toolsHash
  if (fp.minhash.length > 0) attributes[Agentmeter.minhash] = fp.minhash
  return { attributes, prefixTokenEstimates: fp.prefixTokenEstimates }
}

/** The keyed hash of a response's parts (see `ResponsePart`); empty when it has none. */
export function responseFingerprint(key: HashKey, parts: readonly ResponsePart[]): string {
  return parts.length === 0 ? '' : fingerprintResponse(key, parts)
}
