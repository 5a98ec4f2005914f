import {
  context,
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api'
import { Agentmeter, GenAi, PricingAttr } from '@agentmeter/core'
import { SdkAttr } from '../attributes'
import { llmCallContext } from '../context'
import { describeError, reportFailure, safely } from '../safe'
import { captureContent, getTracer } from '../state'
import { outputMessages, toJson } from './content'
import type { PendingRequestFingerprint } from './fingerprint'
import { LateCallWork } from './late-call-attributes'
import { addLateAttributes } from './late-attributes'
import type { CallOutcome, EndReason } from './outcome'

/** What is known about a call before it is sent. */
export interface CallRequest {
  /** `gen_ai.provider.name`. */
  provider: string
  requestModel: string
  stream: boolean
  /** Request attributes beyond the common ones (parameters, server, content); a fresh object
   * that the span's start completes. */
  attributes: Attributes
  /** The request for the fingerprints, hashed after the call (`addLateAttributes`). */
  fingerprint?: PendingRequestFingerprint | null
}

/**
 * The span of one provider call. It ends exactly once, whichever of completion, error, abort,
 * cancel or a raw-response read comes first; later endings are ignored.
 */
export class LlmCall {
  #ended = false
  #onEnd: ((outcome: CallOutcome | null, reason: EndReason) => void) | undefined

  private constructor(
    readonly span: Span,
    readonly provider: string,
    readonly requestModel: string,
    /** The context the provider method runs in: our span active, nesting marked. */
    readonly context: Context,
    readonly fingerprint: PendingRequestFingerprint | null,
  ) {}

  /** Starts the span `chat {model}` (kind CLIENT) under the active context. */
  static start(request: CallRequest, parent: Context = context.active()): LlmCall {
    const name = request.requestModel ? `chat ${request.requestModel}` : 'chat'
    // The request's attributes object is the adapter's own, made for this call: completed in
    // place rather than copied.
    const attributes = request.attributes
    attributes[GenAi.operationName] = 'chat'
    attributes[GenAi.providerName] = request.provider
    attributes[GenAi.requestModel] = request.requestModel
    attributes[GenAi.requestStream] = request.stream
    attributes[Agentmeter.spanKind] = 'llm'
    const span = getTracer().startSpan(name, { kind: SpanKind.CLIENT, attributes }, parent)
    return new LlmCall(
      span,
      request.provider,
      request.requestModel,
      llmCallContext(parent, span),
      request.fingerprint ?? null,
    )
  }

  get ended(): boolean {
    return this.#ended
  }

  /** Runs `listener` once, after the span has ended (shadow mode starts its copy then). */
  whenEnded(listener: (outcome: CallOutcome | null, reason: EndReason) => void): void {
    this.#onEnd = listener
  }

  /** Records what was seen and ends the span. Only the first call has any effect. */
  end(outcome: CallOutcome | null, reason: EndReason, error?: unknown): void {
    if (this.#ended) return
    this.#ended = true
    // Inline try/catch rather than `safely(() => ...)`: every call ends here, and each closure
    // is an allocation the app pays for.
    try {
      this.#record(outcome, reason, error)
    } catch (failure) {
      reportFailure('recording an LLM call', failure)
    }
    try {
      this.span.end()
    } catch (failure) {
      reportFailure('ending an LLM span', failure)
    }
    const listener = this.#onEnd
    if (listener) safely('after an LLM call', () => listener(outcome, reason))
  }

  /** Ends the span from an error the call rejected or threw with. */
  fail(error: unknown, outcome: CallOutcome | null = null, aborted = false): void {
    this.end(outcome, aborted ? 'aborted' : 'error', error)
  }

  #record(outcome: CallOutcome | null, reason: EndReason, error: unknown): void {
    const span = this.span
    span.setAttribute(SdkAttr.endReason, reason)
    const content = captureContent()
    if (outcome) this.#recordResponse(outcome, content)
    this.#recordUsage(outcome, reason)
    // Without content, the tool calls' JSON (ids and names) is late work: nothing masks it.
    const toolCalls = !content && outcome !== null && outcome.toolCalls.length > 0
    if (this.fingerprint || outcome?.usage || toolCalls) {
      const input = {
        provider: this.provider,
        requestModel: this.requestModel,
        fingerprint: this.fingerprint,
        outcome,
        toolCalls,
      }
      addLateAttributes(span, new LateCallWork(input))
    }

    if (reason === 'aborted') {
      span.setStatus({ code: SpanStatusCode.ERROR, message: 'aborted' })
      span.setAttribute(SdkAttr.errorType, 'aborted')
    } else if (reason === 'error') {
      if (error instanceof Error) span.recordException(error)
      span.setStatus({ code: SpanStatusCode.ERROR, message: describeError(error) })
      span.setAttribute(
        SdkAttr.errorType,
        error instanceof Error ? error.constructor.name : 'error',
      )
    }
  }

  #recordResponse(outcome: CallOutcome, content: boolean): void {
    const span = this.span
    if (outcome.responseModel) span.setAttribute(GenAi.responseModel, outcome.responseModel)
    if (outcome.responseId) span.setAttribute(GenAi.responseId, outcome.responseId)
    if (outcome.finishReasons.length > 0) {
      span.setAttribute(GenAi.finishReasons, outcome.finishReasons)
    }
    if (content) {
      // Content attributes are set before the span ends, where the app's content mask sees them.
      if (outcome.toolCalls.length > 0) {
        span.setAttribute(SdkAttr.responseToolCalls, toJson(outcome.toolCalls))
      }
      span.setAttribute(
        SdkAttr.outputMessages,
        outputMessages(outcome.text, outcome.toolCalls, outcome.finishReasons),
      )
    }
  }

  #recordUsage(outcome: CallOutcome | null, reason: EndReason): void {
    const span = this.span
    const reported = outcome?.usage
    if (!reported) {
      span.setAttribute(Agentmeter.usageKnown, false)
      return
    }
    const usage = reported.usage
    // One call each rather than `setAttributes({...})`: that object, with computed keys, and
    // the SDK's `for...in` over it cost every call more than the six calls do.
    span.setAttribute(GenAi.inputTokens, usage.inputTokens)
    span.setAttribute(GenAi.outputTokens, usage.outputTokens)
    span.setAttribute(GenAi.cacheReadTokens, usage.cacheReadTokens)
    span.setAttribute(GenAi.cacheCreationTokens, usage.cacheWriteTokens)
    span.setAttribute(GenAi.reasoningTokens, usage.reasoningTokens)
    span.setAttribute(Agentmeter.cacheWrite1hTokens, usage.cacheWrite1hTokens)
    if (reported.notes.length > 0) span.setAttribute(SdkAttr.usageNotes, reported.notes)
    if (!outcome.usageFinal && reason !== 'completed') span.setAttribute(SdkAttr.usagePartial, true)

    if (outcome.serviceTier) span.setAttribute(PricingAttr.serviceTier, outcome.serviceTier)
    if (outcome.reportedCostUsd)
      span.setAttribute(PricingAttr.reportedCostUsd, Number(outcome.reportedCostUsd))

    const requests = outcome.requests ?? {}
    if (requests.webSearches) span.setAttribute(Agentmeter.webSearchRequests, requests.webSearches)
    if (requests.fileSearches)
      span.setAttribute(Agentmeter.fileSearchRequests, requests.fileSearches)
  }
}
