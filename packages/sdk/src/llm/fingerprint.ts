import type { Attributes } from '@opentelemetry/api'
import {
  Agentmeter,
  fingerprintRequest,
  fingerprintResponse,
  type FingerprintRequest,
  type HashKey,
} from '@agentmeter/core'
import { reportFailure } from '../safe'
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

/**
 * The request as the fingerprints see it, built at export from the body and the message list
 * taken when the call started.
 */
function toFingerprintRequest(
  body: Json,
  shape: RequestShape,
  messages: readonly unknown[],
): FingerprintRequest {
  const params: Record<string, unknown> = {}
  for (const name of Object.keys(body)) {
    if (!NOT_PARAMS.has(name)) params[name] = body[name]
  }
  const model = asString(body['model']) ?? ''
  const tools = body['tools'] ?? undefined
  if (shape === 'openai-responses') {
    return { model, params, system: body['instructions'] ?? undefined, tools, messages }
  }
  return {
    model,
    params,
    system: shape === 'anthropic-messages' ? (body['system'] ?? undefined) : undefined,
    tools,
    messages,
  }
}

/**
 * A request as the fingerprints will see it, taken when the call starts: the body itself and a
 * copy of its message list (an agent loop appends to its own list once the call returns, and
 * the fingerprints are computed later, at export). The rest (parameters, system, tools) is read
 * from the body when the fingerprints are computed: the call path copies nothing else, and the
 * message, system and tool objects are shared, as the digest caches expect (agents resend them
 * unchanged).
 */
export class PendingRequestFingerprint {
  #request: FingerprintRequest | undefined

  constructor(
    readonly key: HashKey,
    private readonly body: Json,
    private readonly shape: RequestShape,
    private readonly messages: readonly unknown[],
  ) {}

  get request(): FingerprintRequest {
    this.#request ??= toFingerprintRequest(this.body, this.shape, this.messages)
    return this.#request
  }
}

/**
 * What the request fingerprints need, read when the call starts (cheap: no hashing, one copy of
 * the message list), or null when no hash key is configured. Only keyed hashes of it ever leave
 * the process.
 */
export function captureRequestFingerprint(
  body: Json | undefined,
  shape: RequestShape,
): PendingRequestFingerprint | null {
  const key = hashKey()
  if (!key || !body) return null
  // Inline rather than `safely(() => ...)`: no closure per call. A failure costs the call its
  // fingerprints, not its span.
  try {
    let messages: readonly unknown[]
    if (shape === 'openai-responses') {
      const input = body['input']
      messages =
        typeof input === 'string' ? [{ role: 'user', content: input }] : asArray(input).slice()
    } else {
      messages = asArray(body['messages']).slice()
    }
    return new PendingRequestFingerprint(key, body, shape, messages)
  } catch (error) {
    reportFailure('fingerprinting a request', error)
    return null
  }
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
