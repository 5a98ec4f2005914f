import { context } from '@opentelemetry/api'
import { isInLlmCall } from '../context'
import { isAbortError, reportFailure, safely } from '../safe'
import { planShadowCopy, type ShadowHandle } from '../shadow/attach-shadow'
import { shadowSettings } from '../shadow/options'
import { captureContent, isEnabled, type ClientName } from '../state'
import { CallWatch, observeApiPromise } from './api-promise'
import { LlmCall, type CallRequest } from './call'
import type { CallOutcome, StreamReader } from './outcome'
import type { ResponsePart } from './response-content'
import { runUntraced } from './run-untraced'
import { asRecord } from './shape'
import { observeStream } from './stream'

export type Method = (this: unknown, ...args: unknown[]) => unknown

/** What one client method needs to say about its calls; the lifecycle is shared. */
export interface CallAdapter {
  client: ClientName
  /** The request as span attributes, or null for a call we do not trace. */
  describe(self: unknown, body: unknown): CallRequest | null
  /** Reads a whole response; `keepContent` keeps text and tool arguments on the outcome. */
  readResponse(data: unknown, keepContent?: boolean): CallOutcome
  /** What the response hash covers in a whole response. */
  responseContent(data: unknown): ResponsePart[]
  /** `hashContent` makes the reader gather what the response hash covers. */
  createStreamReader(keepContent: boolean, hashContent: boolean): StreamReader
  /**
   * Makes a shadow copy's body from the primary's (model already swapped), or returns null when
   * the call cannot be copied without changing state the app relies on.
   */
  shadowBody?(body: Record<string, unknown>): Record<string, unknown> | null
  /** Runs the original method; a client with spans of its own turns them off here. */
  runOriginal?(self: unknown, original: Method, args: unknown[]): unknown
}

/**
 * Wraps a client method (`create`) so that each call gets exactly one span. Our own failures
 * never reach the app: if the span cannot be started, the original method runs untouched, and
 * what the app gets back is the client's own promise class with its own stream object.
 */
export function tracedMethod(original: Method, adapter: CallAdapter): Method {
  return function traced(this: unknown, ...args: unknown[]): unknown {
    if (!isEnabled(adapter.client) || isInLlmCall()) return original.apply(this, args)
    const body = args[0]
    const parent = context.active()
    // Inline try/catch rather than `safely(() => ...)`: this runs on every call, and each
    // closure costs allocations the host pays for.
    let call: LlmCall | undefined
    try {
      const request = adapter.describe(this, body)
      call = request ? LlmCall.start(request, parent) : undefined
    } catch (error) {
      reportFailure('starting an LLM span', error)
    }
    if (!call) return original.apply(this, args)
    let shadow: ShadowHandle | undefined
    if (shadowSettings().rules.length > 0) {
      shadow = safely('planning a shadow call', () =>
        planShadowCopy(call, { adapter, original, self: this, body, options: args[1], parent }),
      )
    }

    let result: unknown
    try {
      // No `thisArg`: the context manager would bind the method, one function per call.
      result = context.with(call.context, runUntraced, undefined, adapter, this, original, args)
    } catch (error) {
      call.fail(error, null, isAbortError(error))
      throw error
    }

    try {
      return observeApiPromise(result, new ResponseWatch(call, adapter, body, args[1], shadow))
    } catch (error) {
      reportFailure('observing an LLM call', error)
      return result
    }
  }
}

/** What happens once the app has the parsed body: read it, or read along with its stream. */
class ResponseWatch extends CallWatch {
  constructor(
    call: LlmCall,
    private readonly adapter: CallAdapter,
    private readonly body: unknown,
    private readonly options: unknown,
    private readonly shadow: ShadowHandle | undefined,
  ) {
    super(call)
  }

  read(data: unknown): void {
    const { call, adapter, shadow } = this
    if (call.ended) return
    if (asRecord(this.body)?.['stream'] === true && isAsyncIterable(data)) {
      const keepContent = captureContent() || shadow?.needsContent === true
      const reader = adapter.createStreamReader(keepContent, call.fingerprint !== null)
      const signal = asRecord(this.options)?.['signal']
      observeStream(data, call, reader, signal instanceof AbortSignal ? signal : undefined)
    } else {
      if (shadow) shadow.primaryData = data
      const outcome = adapter.readResponse(data)
      if (call.fingerprint) outcome.responseContent = adapter.responseContent(data)
      call.end(outcome, 'completed')
    }
  }
}

function isAsyncIterable(value: unknown): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  )
}
