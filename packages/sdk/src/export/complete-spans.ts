import { performance } from 'node:perf_hooks'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { completeLateAttributes, stepLateAttributes } from '../llm/late-attributes'

/**
 * How long the late work of one batch may hold the event loop before it yields. An app's call
 * that becomes ready meanwhile waits at most about this long plus one unit of work (a message's
 * digest, a span's completion: ~0.1 to 0.2 ms), so that a hold stays near 0.5 ms.
 */
export const SLICE_MILLIS = 0.3

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve))

/**
 * Completes the late attributes (fingerprints, pricing) of a batch about to be exported, in
 * slices of about `SLICE_MILLIS`, yielding to the event loop between slices so the app's I/O and
 * timers run in between. One span's long work (the MinHash of a long tool output) is itself
 * split across slices.
 */
export async function completeSpans(spans: readonly ReadableSpan[]): Promise<void> {
  let deadline = performance.now() + SLICE_MILLIS
  for (const span of spans) {
    while (!stepLateAttributes(span, deadline)) {
      await nextTurn()
      deadline = performance.now() + SLICE_MILLIS
    }
    // The rest of a span's work (hashing what the steps cached, pricing) is a unit of its own,
    // ~0.1 to 0.3 ms: with under half a slice left, it starts a new slice rather than overrun.
    if (deadline - performance.now() < SLICE_MILLIS / 2) {
      await nextTurn()
      deadline = performance.now() + SLICE_MILLIS
    }
    completeLateAttributes(span)
    if (performance.now() >= deadline) {
      await nextTurn()
      deadline = performance.now() + SLICE_MILLIS
    }
  }
}
