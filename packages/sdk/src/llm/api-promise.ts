import { safely, isAbortError } from '../safe'
import type { LlmCall } from './call'

type Method = (...args: unknown[]) => unknown

interface PromiseState {
  parseRequested: boolean
}

/**
 * Observes the result of a client method without changing what the app gets: the clients return
 * an `APIPromise` whose body is parsed lazily, once, by whichever of `await`, `.then()`,
 * `.withResponse()` comes first, while `.asResponse()` hands out the raw `Response` unparsed.
 *
 * We derive a promise of the same class with the client's own `_thenUnwrap` (the method its
 * helpers such as `chat.completions.parse` use), so `onData` sees the parsed body in the one parse
 * the app triggers, and `.withResponse()` / `.asResponse()` keep working. We never parse on our
 * own: doing so would read a body that a helper's derived promise reads again. Failures are seen
 * by subscribing to that same memoized parse once the app subscribes. An app that only takes the
 * raw response ends the span then, with usage unknown (we do not read its body).
 */
export function observeApiPromise(
  result: unknown,
  call: LlmCall,
  onData: (data: unknown) => void,
): unknown {
  const promise = result as { _thenUnwrap?: unknown; then?: unknown }
  if (typeof promise?._thenUnwrap === 'function') {
    const derived = (promise._thenUnwrap as Method).call(promise, (data: unknown) => {
      safely('reading a response', () => onData(data))
      return data
    })
    decorate(derived, call)
    return derived
  }
  if (typeof promise?.then === 'function') {
    // Some other thenable: observe it through its public API.
    ;(promise.then as Method).call(
      promise,
      (data: unknown) => safely('reading a response', () => onData(data)),
      (error: unknown) => call.fail(error, null, isAbortError(error)),
    )
    return result
  }
  safely('reading a response', () => onData(result))
  return result
}

function decorate(promise: unknown, call: LlmCall): void {
  const target = promise as Record<string, unknown>
  const proto = Object.getPrototypeOf(target) as Record<string, unknown> | null
  if (!proto) return
  const state: PromiseState = { parseRequested: false }

  const observeParse = () => {
    if (state.parseRequested) return
    state.parseRequested = true
    const then = proto['then']
    if (typeof then !== 'function') return
    ;(then as Method).call(target, undefined, (error: unknown) =>
      call.fail(error, null, isAbortError(error)),
    )
  }

  for (const name of ['then', 'catch', 'finally', 'withResponse']) {
    const method = proto[name]
    if (typeof method !== 'function') continue
    define(target, name, function (this: unknown, ...args: unknown[]) {
      observeParse()
      return (method as Method).apply(this, args)
    })
  }

  const asResponse = proto['asResponse']
  if (typeof asResponse === 'function') {
    define(target, 'asResponse', function (this: unknown, ...args: unknown[]) {
      const response = (asResponse as Method).apply(this, args) as Promise<unknown>
      safely('observing a raw response', () =>
        response.then(
          () => {
            if (!state.parseRequested) call.end(null, 'raw_response')
          },
          (error: unknown) => call.fail(error, null, isAbortError(error)),
        ),
      )
      return response
    })
  }

  const thenUnwrap = proto['_thenUnwrap']
  if (typeof thenUnwrap === 'function') {
    // A helper's promise derived from ours (`parse`, `stream`) needs the same care.
    define(target, '_thenUnwrap', function (this: unknown, ...args: unknown[]) {
      const child = (thenUnwrap as Method).apply(this, args)
      safely('observing a derived promise', () => decorate(child, call))
      return child
    })
  }
}

function define(target: object, name: string, value: Method): void {
  Object.defineProperty(target, name, { value, configurable: true, writable: true })
}
