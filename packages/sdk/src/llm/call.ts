import {
  context,
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type Context,
  type Span,
} from '@opentelemetry/api'
import { Agentmeter, GenAi } from '@agentmeter/core'
import { SdkAttr } from '../attributes'
import { llmCallContext } from '../context'
import { describeError, reportFailure, safely } from '../safe'
import { captureContent, getTracer } from '../state'
import { outputMessages, toJson } from './content'
import type { PendingRequestFingerprint } from './fingerprint'
import { LateCallWork, type LateCallInput } from './late-call-attributes'
import { addLateAttributes } from './late-attributes'
import type { CallOutcome, EndReason } from './outcome'
import { writeResponseAttributes, writeUsageAttributes } from './response-attributes'

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
    /** Whether the request asked for a stream (`stream: true`). */
    readonly stream: boolean,
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
      request.stream,
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
    // A streamed call's outcome is its reader, which computes what it kept when read: without
    // content capture, its response and usage attributes are late work, read at export.
    const lateResponse = this.stream && !content
    if (!lateResponse) {
      if (outcome) writeResponseAttributes(span, outcome)
      if (outcome && content) this.#recordContent(outcome)
      writeUsageAttributes(span, outcome, reason)
    }
    // Without content, the tool calls' JSON (ids and names) is late work: nothing masks it.
    if (
      lateResponse ||
      this.fingerprint ||
      outcome?.usage ||
      (!content && outcome !== null && outcome.toolCalls.length > 0)
    ) {
      const input: LateCallInput = {
        provider: this.provider,
        requestModel: this.requestModel,
        fingerprint: this.fingerprint,
        outcome,
        toolCalls: !content,
        response: lateResponse ? reason : undefined,
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

  /** Content attributes are set before the span ends, where the app's content mask sees them. */
  #recordContent(outcome: CallOutcome): void {
    const span = this.span
    if (outcome.toolCalls.length > 0) {
      span.setAttribute(SdkAttr.responseToolCalls, toJson(outcome.toolCalls))
    }
    span.setAttribute(
      SdkAttr.outputMessages,
      outputMessages(outcome.text, outcome.toolCalls, outcome.finishReasons),
    )
  }
}
