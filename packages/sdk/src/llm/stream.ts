import { isAbortError, reportFailure, safely } from '../safe'
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
  const observer = new StreamObserver(target, call, reader, userSignal)
  const factory = target.iterator
  if (typeof factory === 'function') {
    target.iterator = function (this: unknown, ...args: unknown[]) {
      return observer.observeOnce(factory.apply(this, args) as AsyncIterator<unknown>)
    }
    return
  }
  const own = target[Symbol.asyncIterator]
  if (typeof own === 'function') {
    Object.defineProperty(target, Symbol.asyncIterator, {
      configurable: true,
      writable: true,
      value: function (this: unknown) {
        return observer.observeOnce(own.call(this) as AsyncIterator<unknown>)
      },
    })
    return
  }
  // Not a stream we can read along with: say what we know rather than hold the span open.
  call.end(reader.outcome(), 'completed')
}

/**
 * Reads along with the first iteration of one stream. A class, so that a stream costs one
 * object and every chunk one promise (the `then` of the client's own), not closures per chunk.
 */
class StreamObserver implements AsyncIterator<unknown>, AsyncIterable<unknown> {
  #inner: AsyncIterator<unknown> | undefined
  readonly #onResult = (result: IteratorResult<unknown>) => this.#read(result)
  readonly #onError = (error: unknown): never => {
    this.#fail(error)
    throw error
  }

  constructor(
    private readonly target: StreamLike,
    private readonly call: LlmCall,
    private readonly reader: StreamReader,
    private readonly userSignal: AbortSignal | undefined,
  ) {}

  observeOnce(inner: AsyncIterator<unknown>): AsyncIterator<unknown> {
    if (this.#inner) return inner
    this.#inner = inner
    return this
  }

  // One parameter, not a rest array: `next()` and `next(undefined)` are the same to the
  // clients' async generators, and a rest array would be one more allocation per chunk.
  next(value?: unknown): Promise<IteratorResult<unknown>> {
    let pending: Promise<IteratorResult<unknown>>
    try {
      pending = Promise.resolve(this.#inner!.next(value))
    } catch (error) {
      this.#fail(error)
      return Promise.reject(error as Error)
    }
    return pending.then(this.#onResult, this.#onError)
  }

  async return(value?: unknown): Promise<IteratorResult<unknown>> {
    this.call.end(this.#outcome(), 'cancelled')
    const inner = this.#inner!
    if (typeof inner.return === 'function') return inner.return(value)
    return { done: true, value }
  }

  async throw(error?: unknown): Promise<IteratorResult<unknown>> {
    this.#fail(error)
    const inner = this.#inner!
    if (typeof inner.throw === 'function') return inner.throw(error)
    throw error
  }

  [Symbol.asyncIterator](): AsyncIterator<unknown> {
    return this
  }

  #read(result: IteratorResult<unknown>): IteratorResult<unknown> {
    if (result.done) {
      this.call.end(this.#outcome(), this.#endedByAbort() ? 'aborted' : 'completed')
    } else {
      try {
        this.reader.add(result.value)
      } catch (error) {
        reportFailure('reading a stream chunk', error)
      }
    }
    return result
  }

  #outcome() {
    return safely('reading a stream outcome', () => this.reader.outcome()) ?? null
  }

  #fail(error: unknown): void {
    // On a failure the client aborts its own controller to release the socket; that is not an
    // abort by the app, so only the app's signal counts.
    const aborted = isAbortError(error) || this.userSignal?.aborted === true
    this.call.fail(error, this.#outcome(), aborted)
  }

  /** A client ends an aborted stream quietly, as if it were complete; only the signal tells. */
  #endedByAbort(): boolean {
    return this.target.controller?.signal?.aborted === true || this.userSignal?.aborted === true
  }
}
