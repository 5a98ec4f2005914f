import { context, type Attributes, type Context } from '@opentelemetry/api'
import { EvidenceAttr } from '@agentmeter/core'
import { LlmCall } from '../llm/call'
import type { CallOutcome } from '../llm/outcome'
import { runUntraced } from '../llm/run-untraced'
import { asRecord } from '../llm/shape'
import type { CallAdapter, Method } from '../llm/traced-method'
import { describeError, isAbortError } from '../safe'
import { log } from '../state'
import { shadowSettings, stats, type ShadowCompare, type ShadowResult } from './options'
import type { ShadowPlan } from './plan'

/** Everything needed to send one copy of a finished primary call to the candidate model. */
export interface ShadowJob {
  plan: ShadowPlan
  adapter: CallAdapter
  original: Method
  self: unknown
  body: unknown
  /** The primary call's request options (headers, timeout); its abort signal is not kept. */
  options: unknown
  /** The context the primary call was made in (its task and step), the shadow span's parent. */
  parent: Context
  primarySpanId: string
  /** The primary result as `compare` sees it; built only when a compare function is set. */
  primary: () => ShadowResult
}

const pending = new Set<Promise<void>>()

/**
 * Starts a shadow call on a later turn of the event loop, so nothing of it runs on the app's
 * call path, unless the concurrency limit is reached (then the copy is dropped and counted).
 */
export function scheduleShadow(job: ShadowJob): void {
  if (pending.size >= shadowSettings().maxConcurrent) {
    stats.dropped++
    return
  }
  const done: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
    .then(() => runShadow(job))
    .catch((error: unknown) => {
      stats.failed++
      log.warn(`a shadow call failed: ${describeError(error)}`)
    })
    .finally(() => pending.delete(done))
  pending.add(done)
}

/**
 * Resolves once every shadow call started so far has ended (their spans are then queued), or
 * after `timeoutMillis`, whichever comes first, so a slow candidate cannot hold up a shutdown.
 */
export async function settleShadowCalls(timeoutMillis = Infinity): Promise<void> {
  const settled = (async () => {
    while (pending.size > 0) await Promise.all([...pending])
  })()
  if (!Number.isFinite(timeoutMillis)) return settled
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMillis)
    timer.unref()
  })
  await Promise.race([settled, timeout])
  clearTimeout(timer)
}

async function runShadow(job: ShadowJob): Promise<void> {
  const { plan, adapter } = job
  const copied = shadowBody(job.body, plan.rule.model)
  const body = adapter.shadowBody ? adapter.shadowBody(copied) : copied
  if (body === null) {
    stats.dropped++
    return
  }
  const request = adapter.describe(job.self, body)
  if (!request) throw new Error('the shadow request could not be described')
  const attributes: Attributes = {
    ...request.attributes,
    [EvidenceAttr.shadow]: true,
    [EvidenceAttr.shadowPrimarySpanId]: job.primarySpanId,
    [EvidenceAttr.shadowPropensity]: plan.propensity,
  }
  const call = context.with(job.parent, () =>
    // Shadow spans carry no request or prompt fingerprints: a copy of a call is not repeated work,
    // so the redundancy detectors (which all key on those hashes) must not see it.
    LlmCall.start({ ...request, attributes, fingerprint: null }),
  )

  let data: unknown
  try {
    const args = [body, shadowOptions(job.options)]
    // The copy's own span is this one: a traced method under `original` adds none.
    data = await context.with(
      call.context,
      runUntraced,
      undefined,
      adapter,
      job.self,
      job.original,
      args,
    )
  } catch (error) {
    call.fail(error, null, isAbortError(error))
    stats.failed++
    return
  }

  // Content is read for `compare` only; the span shows it only when content capture is on.
  const outcome = adapter.readResponse(data, true)
  const compare = plan.rule.compare
  if (compare) {
    const verdict = await judge(compare, job.primary(), resultOf(outcome, data, plan.rule.model))
    call.span.setAttributes(verdict)
  }
  call.end(outcome, 'completed')
  stats.completed++
}

/** The primary request with the candidate model, and never streamed. */
function shadowBody(body: unknown, model: string): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...asRecord(body), model }
  delete copy['stream']
  delete copy['stream_options']
  return copy
}

function shadowOptions(options: unknown): Record<string, unknown> | undefined {
  const record = asRecord(options)
  if (!record) return undefined
  const copy = { ...record }
  delete copy['signal']
  return copy
}

export function resultOf(outcome: CallOutcome, response: unknown, model: string): ShadowResult {
  return {
    model: outcome.responseModel ?? model,
    text: outcome.text === '' ? undefined : outcome.text,
    toolCalls: outcome.toolCalls,
    finishReasons: outcome.finishReasons,
    response,
  }
}

async function judge(
  compare: ShadowCompare,
  primary: ShadowResult,
  shadow: ShadowResult,
): Promise<Attributes> {
  let verdict: unknown
  try {
    verdict = await compare(primary, shadow)
  } catch (error) {
    stats.compareFailed++
    log.warn(`shadow compare threw: ${describeError(error)}`)
    return {}
  }
  if (typeof verdict === 'boolean') return { [EvidenceAttr.shadowMatch]: verdict }
  if (typeof verdict === 'number' && verdict >= 0 && verdict <= 1) {
    return { [EvidenceAttr.shadowScore]: verdict }
  }
  stats.compareFailed++
  log.warn(`shadow compare returned ${String(verdict)}; expected a number in [0, 1] or a boolean`)
  return {}
}
