import type { Attributes, Span } from '@opentelemetry/api'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { safely } from '../safe'

/**
 * Attributes that cost real CPU to compute (keyed fingerprints, informational pricing) and that
 * nothing in the app reads: an LLM span gets them late, so the call does not pay for them.
 *
 * When the span goes to our own batch processor (`init()`), the work is kept beside the span
 * and run just before export, in time-bounded slices off the call path (see
 * `completeLateAttributes`). Any other pipeline (an app's own `BatchSpanProcessor`, the tests'
 * `SimpleSpanProcessor`) exports spans we cannot reach again, so there the work runs at once,
 * before the span ends.
 */
export interface LateAttributes {
  /**
   * Advances the long part of the work until `deadline` (ms, `performance.now()` clock) and says
   * whether it is done, so the exporter can yield between slices; `attributes()` is then quick.
   */
  step?(deadline: number): boolean
  /** The attributes (runs whatever `step` left). */
  attributes(): Attributes
}

/** Work for spans that ended and were not exported yet; gone with the span if it is dropped. */
const pending = new WeakMap<object, LateAttributes>()
let deferring = false

/** `init()` turns deferral on when our batch processor is the one that exports. */
export function setDeferLateAttributes(defer: boolean): void {
  deferring = defer
}

/** Records `work` for `span`, which has not ended yet. */
export function addLateAttributes(span: Span, work: LateAttributes): void {
  if (deferring) {
    pending.set(span, work)
    return
  }
  const attributes = safely('computing span attributes', () => work.attributes())
  if (attributes) span.setAttributes(attributes)
}

/**
 * Advances the late work of one ended span until `deadline`; true when only its quick rest is
 * left (or there is none), for `completeLateAttributes`.
 */
export function stepLateAttributes(span: ReadableSpan, deadline: number): boolean {
  const work = pending.get(span)
  if (!work?.step) return true
  const done = safely('computing span attributes', () => work.step!(deadline))
  // A failure is reported once; the rest of the work then runs (or fails) in one go.
  return done ?? true
}

/**
 * Runs the late work of one ended span, writing its attributes onto the span as exported. A span
 * is ended, so `setAttribute` would ignore them: they go into its attribute record directly (as
 * the content mask does), where the exporter reads them.
 */
export function completeLateAttributes(span: ReadableSpan): void {
  const work = pending.get(span)
  if (!work) return
  pending.delete(span)
  const attributes = safely('computing span attributes', () => work.attributes())
  if (attributes) Object.assign(span.attributes, attributes)
}
