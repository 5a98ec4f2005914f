import type { AttributeValue, Attributes } from '@opentelemetry/api'
import {
  Agentmeter,
  priceCall,
  resumableRequestWork,
  scaleBoundaryTokens,
  type RequestCounts,
  type ResumableWork,
} from '@agentmeter/core'
import { SdkAttr } from '../attributes'
import { toJson } from './content'
import type { LateAttributes } from './late-attributes'
import {
  requestFingerprints,
  responseFingerprint,
  type PendingRequestFingerprint,
} from './fingerprint'
import { responseParts, type CallOutcome, type EndReason } from './outcome'
import {
  writeResponseAttributes,
  writeUsageAttributes,
  type AttributeSink,
} from './response-attributes'

/** What an LLM span's late attributes are computed from, gathered while the call ran. */
export interface LateCallInput {
  provider: string
  requestModel: string
  /** The request as the call sent it, when fingerprints are on. */
  fingerprint: PendingRequestFingerprint | null
  outcome: CallOutcome | null
  /** Whether the tool calls' ids and names are written here (content capture off). */
  toolCalls?: boolean
  /**
   * How a streamed call ended, when its response and usage attributes are written here too
   * (content capture off): its outcome is the stream's reader, read now rather than at the end.
   */
  response?: EndReason | undefined
}

/**
 * The attributes of an LLM span that are pure computation over what the call already saw: the
 * tool calls' JSON (ids and names), the request and response fingerprints, the prefix token
 * estimates rescaled to the reported input, the informational cost (`agentmeter.cost.usd`),
 * and for a streamed call its response and usage attributes, read from its reader.
 */
export function lateCallAttributes({
  provider,
  requestModel,
  fingerprint,
  outcome,
  toolCalls,
  response,
}: LateCallInput): Attributes {
  const attributes: Attributes = {}
  if (response !== undefined) {
    const record = new AttributeRecord(attributes)
    if (outcome) writeResponseAttributes(record, outcome)
    writeUsageAttributes(record, outcome, response)
  }
  if (toolCalls && outcome && outcome.toolCalls.length > 0) {
    const calls = outcome.toolCalls.map((call) => ({ id: call.id, name: call.name }))
    attributes[SdkAttr.responseToolCalls] = toJson(calls)
  }
  const usage = outcome?.usage?.usage
  if (fingerprint) {
    const request = requestFingerprints(fingerprint)
    Object.assign(attributes, request.attributes)
    if (request.prefixTokenEstimates.length > 0) {
      attributes[Agentmeter.prefixTokens] = scaleBoundaryTokens(
        request.prefixTokenEstimates,
        usage?.inputTokens ?? 0,
      )
    }
    const responseHash = outcome?.responseContent
      ? responseFingerprint(fingerprint.key, responseParts(outcome.responseContent))
      : ''
    if (responseHash) attributes[Agentmeter.responseHash] = responseHash
  }
  if (outcome && usage) {
    // The same pricing layer as the collector's, without the project's price book: this figure
    // is informational, the collector's is authoritative.
    const requests: RequestCounts = outcome.requests ?? {}
    const cost = priceCall({
      provider,
      model: outcome.responseModel ?? requestModel,
      requestModel,
      responseModel: outcome.responseModel ?? '',
      usage,
      requests,
      serviceTier: outcome.serviceTier,
      reportedCostUsd: outcome.reportedCostUsd ?? null,
    })
    if (cost.priced && cost.costUsd !== null) attributes[Agentmeter.costUsd] = Number(cost.costUsd)
  }
  return attributes
}

/** Response attributes written into a late attribute record rather than onto a span. */
class AttributeRecord implements AttributeSink {
  constructor(private readonly attributes: Attributes) {}

  setAttribute(key: string, value: AttributeValue): void {
    this.attributes[key] = value
  }
}

/**
 * The late attributes of one call as resumable work: `step` runs the request fingerprints' long
 * parts (segment digests, the last message's MinHash) in slices; `attributes` the rest. One
 * object per call, made when the call ends; nothing is computed until export.
 */
export class LateCallWork implements LateAttributes {
  #resumable: ResumableWork | undefined

  constructor(private readonly input: LateCallInput) {}

  step(deadline: number): boolean {
    const fingerprint = this.input.fingerprint
    if (!fingerprint) return true
    this.#resumable ??= resumableRequestWork(fingerprint.key, fingerprint.request)
    return this.#resumable.step(deadline)
  }

  attributes(): Attributes {
    return lateCallAttributes(this.input)
  }
}
