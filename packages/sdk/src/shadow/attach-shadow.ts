import type { Context } from '@opentelemetry/api'
import { EvidenceAttr } from '@agentmeter/core'
import type { LlmCall } from '../llm/call'
import { emptyOutcome } from '../llm/outcome'
import type { CallAdapter, Method } from '../llm/traced-method'
import { stats } from './options'
import { planShadow } from './plan'
import { resultOf, scheduleShadow } from './run-shadow'

/** The primary call as the client method saw it. */
export interface PrimaryRequest {
  adapter: CallAdapter
  original: Method
  self: unknown
  body: unknown
  options: unknown
  /** The context the call was made in (its task and step). */
  parent: Context
}

/** What the traced method tells shadow mode while the primary call runs. */
export interface ShadowHandle {
  /** Whether a stream's text must be kept for `compare`. */
  needsContent: boolean
  /** The parsed body of a non-streamed primary call, once the app has it. */
  primaryData: unknown
}

/**
 * Decides whether a starting call is eligible for a shadow copy (then its span carries the
 * propensity) and, when it is drawn, copies it only after the app has its result in full: once
 * the primary span ends as completed (for a stream, when the app has read it to the end). A
 * primary call that failed, was aborted or cancelled is not copied.
 */
export function planShadowCopy(call: LlmCall, request: PrimaryRequest): ShadowHandle | undefined {
  const plan = planShadow(request.parent, call.requestModel)
  if (!plan) return undefined
  call.span.setAttribute(EvidenceAttr.shadowPropensity, plan.propensity)
  if (!plan.sampled) return undefined

  const handle: ShadowHandle = {
    needsContent: plan.rule.compare !== undefined,
    primaryData: undefined,
  }
  call.whenEnded((outcome, reason) => {
    if (reason !== 'completed') {
      stats.dropped++
      return
    }
    const data = handle.primaryData
    scheduleShadow({
      ...request,
      plan,
      primarySpanId: call.span.spanContext().spanId,
      primary: () => {
        const read = data === undefined ? outcome : request.adapter.readResponse(data, true)
        return resultOf(read ?? emptyOutcome(), data, call.requestModel)
      },
    })
  })
  return handle
}
