import { enterLlmCall, leaveLlmCall } from '../context'
import type { CallAdapter, Method } from './traced-method'

/**
 * Runs a client's own method for a call that already has its span (the app's call, or a
 * shadow copy of it): through the adapter's `runOriginal` where the client has spans of its own
 * to turn off, and marked as inside an LLM call while it runs synchronously, so that a traced
 * method it calls (`parse` calling `create`) adds no second span. A plain function of its
 * arguments, to pass to `context.with` without making a closure per call.
 */
export function runUntraced(
  adapter: CallAdapter,
  self: unknown,
  original: Method,
  args: unknown[],
): unknown {
  enterLlmCall()
  try {
    return adapter.runOriginal
      ? adapter.runOriginal(self, original, args)
      : original.apply(self, args)
  } finally {
    leaveLlmCall()
  }
}
