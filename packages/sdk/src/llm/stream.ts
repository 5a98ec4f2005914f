import { safely, isAbortError } from '../safe'
import type { LlmCall } from './call'
import type { StreamReader } from './outcome'

interface StreamLike {
  /** The clients' `Stream` keeps its iterator factory here; `tee()` and friends go through it. */
  iterator?: unknown
  controller?: { signal?: AbortSignal }
  [Symbol.asyncIterator]?: unknown
}

/**
 * Observes a client's stream in place, so the app keeps the very object the client returned
 * (`tee()`, `toReadableStream()`, `controller`, every chunk object unchanged). Both clients build
 * every way of reading (`for await`, `tee()`, `toReadableStream()`) on the instance's `iterator`
 * factory, so wrapping that one function sees every read. Only the first iteration is observed:
 * a second one is the client's "already consumed" error, not the call's outcome.
 *
 * The call's span ends when the stream completes, fails (a socket destroyed mid-body), is aborted
 * (an AbortController; the clients end such a stream quietly, so the signal tells), or when the
 * app stops early (`break`, which calls `return()`): then the span ends as `cancelled` and the
 * client's own `return()` cancels the request. Nothing is read on the app's behalf.
 */
export function observeStream(
  stream: unknown,
  call: LlmCall,
  reader: StreamReader,
  userSignal: AbortSignal | undefined,
): void {
  const target = stream as StreamLike
  let observed = false
  const observeOnce = (inner: AsyncIterator<unknown>): AsyncIterator<unknown> => {
    if (observed) return inner
    observed = true
    return observeIterator(inner, call, reader, {
      // A client ends an aborted stream quietly, as if it were complete; only the signal tells.
      endedByAbort: () =>
        target.controller?.signal?.aborted === true || userSignal?.aborted === true,
      // On a failure the client aborts its own controller to release the socket; that is not an
      // abort by the app, so only the app's signal counts.
      failedByAbort: (error) => isAbortError(error) || userSignal?.aborted === true,
    })
  }

  const factory = target.iterator
  if (typeof factory === 'function') {
    target.iterator = function (this: unknown, ...args: unknown[]) {
      return observeOnce(factory.apply(this, args) as AsyncIterator<unknown>)
    }
    return
  }
  const own = target[Symbol.asyncIterator]
  if (typeof own === 'function') {
    Object.defineProperty(target, Symbol.asyncIterator, {
      configurable: true,
      writable: true,
      value: function (this: unknown) {
        return observeOnce(own.call(this) as AsyncIterator<unknown>)
      },
    })
    return
  }
  // Not a stream we can read along with: say what we know rather than hold the span open.
  call.end(reader.outcome(), 'completed')
}

interface AbortChecks {
  endedByAbort(): boolean
  failedByAbort(error: unknown): boolean
}

function observeIterator(
  inner: AsyncIterator<unknown>,
  call: LlmCall,
  reader: StreamReader,
  aborts: AbortChecks,
): AsyncIterator<unknown> {
  const outcome = () => safely('reading a stream outcome', () => reader.outcome()) ?? null
  const fail = (error: unknown) => call.fail(error, outcome(), aborts.failedByAbort(error))

  const observer: AsyncIterator<unknown> & AsyncIterable<unknown> = {
    async next(...args: [] | [unknown]) {
      let result: IteratorResult<unknown>
      try {
        result = await inner.next(...args)
      } catch (error) {
        fail(error)
        throw error
      }
      if (result.done) {
        call.end(outcome(), aborts.endedByAbort() ? 'aborted' : 'completed')
      } else {
        const chunk = result.value
        safely('reading a stream chunk', () => reader.add(chunk))
      }
      return result
    },
    async return(value?: unknown) {
      call.end(outcome(), 'cancelled')
      if (typeof inner.return === 'function') return inner.return(value)
      return { done: true, value }
    },
    async throw(error?: unknown) {
      fail(error)
      if (typeof inner.throw === 'function') return inner.throw(error)
      throw error
    },
    [Symbol.asyncIterator]() {
      return observer
    },
  }
  return observer
}
