import { isAbortError, reportFailure, safely } from '../safe'
import type { LlmCall } from './call'

type Method = (...args: unknown[]) => unknown

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
  observer: { onData(data: unknown): void },
): unknown {
  // One closure per call: it hands the parsed body through unchanged.
  const onData = (data: unknown) => {
    try {
      observer.onData(data)
    } catch (error) {
      reportFailure('reading a response', error)
    }
    return data
  }
  const promise = result as { _thenUnwrap?: unknown; then?: unknown }
  if (typeof promise?._thenUnwrap === 'function') {
    const derived = (promise._thenUnwrap as Method).call(promise, onData)
    decorate(derived, call)
    return derived
  }
  if (typeof promise?.then === 'function') {
    // Some other thenable: observe it through its public API.
    ;(promise.then as Method).call(promise, onData, (error: unknown) =>
      call.fail(error, null, isAbortError(error)),
    )
    return result
  }
  onData(result)
  return result
}

/** What a decorated promise knows; its methods are shared, so a call makes no closures. */
interface Decorated {
  call: LlmCall
  proto: Record<string, unknown>
  parseRequested: boolean
}

const decorated = new WeakMap<object, Decorated>()

const PARSING_METHODS = ['then', 'catch', 'finally', 'withResponse'] as const

/**
 * Decorated prototypes by the client's promise prototype: each adds the shared methods over the
 * client's once, so decorating a call's promise is one `setPrototypeOf`, not five own
 * properties. The promise stays an instance of the client's class, with its own private state.
 */
const decoratedProtos = new WeakMap<object, object>()

function decoratedProto(proto: Record<string, unknown>): object {
  const cached = decoratedProtos.get(proto)
  if (cached) return cached
  const methods: PropertyDescriptorMap = {}
  const add = (name: string, value: Method) => {
    if (typeof proto[name] === 'function') {
      methods[name] = { value, configurable: true, writable: true }
    }
  }
  for (const name of PARSING_METHODS) add(name, SHARED[name])
  add('asResponse', asResponse)
  // A helper's promise derived from ours (`parse`, `stream`) needs the same care.
  add('_thenUnwrap', thenUnwrap)
  const derived = Object.create(proto, methods) as object
  decoratedProtos.set(proto, derived)
  return derived
}

function decorate(promise: unknown, call: LlmCall): void {
  const target = promise as Record<string, unknown>
  const proto = Object.getPrototypeOf(target) as Record<string, unknown> | null
  if (!proto) return
  decorated.set(target, { call, proto, parseRequested: false })
  Object.setPrototypeOf(target, decoratedProto(proto))
}

/** The promise's own state, and the prototype whose method runs (the receiver's if not ours). */
function stateOf(self: unknown): [Decorated | undefined, Record<string, unknown>] {
  const state = decorated.get(self as object)
  return [state, state?.proto ?? (Object.getPrototypeOf(self) as Record<string, unknown>)]
}

/** The first subscription to the client's memoized parse also watches it for a failure. */
function observeParse(self: unknown, state: Decorated): void {
  if (state.parseRequested) return
  state.parseRequested = true
  const then = state.proto['then']
  if (typeof then !== 'function') return
  const call = state.call
  ;(then as Method).call(self, undefined, (error: unknown) =>
    call.fail(error, null, isAbortError(error)),
  )
}

function parsing(name: (typeof PARSING_METHODS)[number]): Method {
  return function (this: unknown, ...args: unknown[]) {
    const [state, proto] = stateOf(this)
    if (state) observeParse(this, state)
    return (proto[name] as Method).apply(this, args)
  }
}

const SHARED: Record<(typeof PARSING_METHODS)[number], Method> = {
  then: parsing('then'),
  catch: parsing('catch'),
  finally: parsing('finally'),
  withResponse: parsing('withResponse'),
}

function asResponse(this: unknown, ...args: unknown[]): unknown {
  const [state, proto] = stateOf(this)
  const response = (proto['asResponse'] as Method).apply(this, args) as Promise<unknown>
  if (!state) return response
  const call = state.call
  safely('observing a raw response', () =>
    response.then(
      () => {
        if (!state.parseRequested) call.end(null, 'raw_response')
      },
      (error: unknown) => call.fail(error, null, isAbortError(error)),
    ),
  )
  return response
}

function thenUnwrap(this: unknown, ...args: unknown[]): unknown {
  const [state, proto] = stateOf(this)
  const child = (proto['_thenUnwrap'] as Method).apply(this, args)
  if (state) safely('observing a derived promise', () => decorate(child, state.call))
  return child
}
