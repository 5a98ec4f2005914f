import type { AttributeValue } from '@opentelemetry/api'
import { Agentmeter, GenAi, PricingAttr } from '@agentmeter/core'
import { SdkAttr } from '../attributes'
import type { CallOutcome, EndReason } from './outcome'

/**
 * Where a call's response attributes are written: its span, when the call ends, or the record
 * of its late attributes (a streamed call's, see `LlmCall`).
 */
export interface AttributeSink {
  setAttribute(key: string, value: AttributeValue): unknown
}

/** The response's model, id and finish reasons (`gen_ai.response.*`). */
export function writeResponseAttributes(sink: AttributeSink, outcome: CallOutcome): void {
  if (outcome.responseModel) sink.setAttribute(GenAi.responseModel, outcome.responseModel)
  if (outcome.responseId) sink.setAttribute(GenAi.responseId, outcome.responseId)
  const finishReasons = outcome.finishReasons
  if (finishReasons.length > 0) sink.setAttribute(GenAi.finishReasons, finishReasons)
}

/**
 * The usage the provider reported (`agentmeter.usage.known` false when none: unknown, never
 * zero), whether it was final, and what the call is billed by besides tokens.
 */
export function writeUsageAttributes(
  sink: AttributeSink,
  outcome: CallOutcome | null,
  reason: EndReason,
): void {
  const reported = outcome?.usage
  if (!reported) {
    sink.setAttribute(Agentmeter.usageKnown, false)
    return
  }
  const usage = reported.usage
  // One call each rather than `setAttributes({...})`: that object, with computed keys, and
  // the SDK's `for...in` over it cost every call more than the six calls do.
  sink.setAttribute(GenAi.inputTokens, usage.inputTokens)
  sink.setAttribute(GenAi.outputTokens, usage.outputTokens)
  sink.setAttribute(GenAi.cacheReadTokens, usage.cacheReadTokens)
  sink.setAttribute(GenAi.cacheCreationTokens, usage.cacheWriteTokens)
  sink.setAttribute(GenAi.reasoningTokens, usage.reasoningTokens)
  sink.setAttribute(Agentmeter.cacheWrite1hTokens, usage.cacheWrite1hTokens)
  if (reported.notes.length > 0) sink.setAttribute(SdkAttr.usageNotes, reported.notes)
  if (!outcome.usageFinal && reason !== 'completed') sink.setAttribute(SdkAttr.usagePartial, true)

  if (outcome.serviceTier) sink.setAttribute(PricingAttr.serviceTier, outcome.serviceTier)
  if (outcome.reportedCostUsd) {
    sink.setAttribute(PricingAttr.reportedCostUsd, Number(outcome.reportedCostUsd))
  }
  const requests = outcome.requests ?? {}
  if (requests.webSearches) sink.setAttribute(Agentmeter.webSearchRequests, requests.webSearches)
  if (requests.fileSearches) {
    sink.setAttribute(Agentmeter.fileSearchRequests, requests.fileSearches)
  }
}
