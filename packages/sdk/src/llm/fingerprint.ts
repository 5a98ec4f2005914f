import type { Attributes } from '@opentelemetry/api'
import {
  Agentmeter,
  fingerprintRequest,
  fingerprintResponse,
  type FingerprintRequest,
} from '@agentmeter/core'
import { hashKey } from '../state'
import { asArray, asRecord, asString, type Json } from './shape'

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
  for (const [name, value] of Object.entries(body)) {
    if (!NOT_PARAMS.has(name)) params[name] = value
  }
  const model = asString(body['model']) ?? ''
  const tools = body['tools'] ?? undefined
  if (shape === 'openai-responses') {
    const input = body['input']
    const messages = typeof input === 'string' ? [{ role: 'user', content: input }] : asArray(input)
    return { model, params, system: body['instructions'] ?? undefined, tools, messages }
  }
  return {
    model,
    params,
    system: shape === 'anthropic-messages' ? (body['system'] ?? undefined) : undefined,
    tools,
    messages: asArray(body['messages']),
  }
}

/**
 * The request fingerprints as span attributes (`agentmeter.request.hash` and the
 * `agentmeter.prompt.*` hashes), or nothing when no hash key is configured. Only keyed hashes
 * leave the process; the prompt itself never does unless content capture is on.
 */
export function requestFingerprints(
  body: Json | undefined,
  shape: RequestShape,
): RequestFingerprintAttributes | null {
  const key = hashKey()
  if (!key || !body) return null
  const fp = fingerprintRequest(key, toFingerprintRequest(body, shape))
  const attributes: Attributes = {
    [Agentmeter.requestHash]: fp.requestHash,
    [Agentmeter.prefixHashes]: fp.prefixHashes,
  }
  if (fp.systemHash) attributes[Agentmeter.systemHash] = fp.systemHash
  if (fp.toolsHash) attributes[Agentmeter.toolsHash] = fp.toolsHash
  if (fp.minhash.length > 0) attributes[Agentmeter.minhash] = fp.minhash
  return { attributes, prefixTokenEstimates: fp.prefixTokenEstimates }
}

/**
 * The keyed hash of a whole (non-streamed) response's content: chat `choices[].message`,
 * Messages `content`, or Responses `output`. Empty when there is no key or no content.
 */
export function responseFingerprint(data: unknown): string {
  const key = hashKey()
  const body = asRecord(data)
  if (!key || !body) return ''
  const choices = asArray(body['choices'])
  const content =
    choices.length > 0
      ? choices.map((choice) => asRecord(choice)?.['message'])
      : (body['content'] ?? body['output'])
  return content === undefined ? '' : fingerprintResponse(key, content)
}
