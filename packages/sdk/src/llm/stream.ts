import { isAbortError, reportFailure } from '../safe'
import type { LlmCall } from './call'
import type { CallOutcome, EndReason, StreamReader } from './outcome'

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
  const factory = target.iterator
  if (typeof factory === 'function') {
    const observer = new StreamObserver(target, call, reader, userSignal)
    // The clients call their factory without arguments (`[Symbol.asyncIterator]`, `tee()`,
    // `toReadableStream()`); passing none spares a rest array per stream.
    target.iterator = function (this: unknown) {
      return observer.observeOnce(factory.call(this) as AsyncIterator<unknown>)
    }
    return
  }
  const own = target[Symbol.asyncIterator]
  if (typeof own === 'function') {
    const observer = new StreamObserver(target, call, reader, userSignal)
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
 * Reads along with the first iteration of one stream: a stream costs this object and its two
 * callbacks, and every chunk one promise, the `then` of the client's own (a value cannot be
 * seen without it: the clients' async generators are the only source, and they resolve each
 * chunk's promise a microtask or more after `next()` returns). Everything else per chunk is the
 * reader's, which allocates nothing for a chunk that carries nothing the span needs.
 */
class StreamObserver implements AsyncIterator<unknown>, AsyncIterable<unknown> {
  #inner: AsyncIterator<unknown> | undefined
  /** Set once the observer has ended the call: later chunks are not read. */
  #finished = false
  readonly #onResult: (result: IteratorResult<unknown>) => IteratorResult<unknown>
  readonly #onError: (error: unknown) => never

  constructor(
    private readonly target: StreamLike,
    private readonly call: LlmCall,
    private readonly reader: StreamReader,
    private readonly userSignal: AbortSignal | undefined,
  ) {
    // Assigned here rather than as class fields: under tsx (esbuild's `keepNames`) a field's
    // arrow function is renamed through `__name`, a `defineProperty` per stream.
    this.#onResult = (result) => this.#read(result)
    this.#onError = (error) => {
      this.#fail(error)
      throw error
    }
  }

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
    this.#end('cancelled')
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
      this.#end(this.#endedByAbort() ? 'aborted' : 'completed')
    } else if (!this.#finished) {
      // Inline rather than `safely(() => ...)`: no closure per chunk.
      try {
        this.reader.add(result.value)
      } catch (error) {
        reportFailure('reading a stream chunk', error)
      }
    }
    return result
  }

  #outcome(): CallOutcome | null {
    try {
      return this.reader.outcome()
    } catch (error) {
      reportFailure('reading a stream outcome', error)
      return null
    }
  }

  #end(reason: EndReason): void {
    if (this.#finished) return
    this.#finished = true
    this.call.end(this.#outcome(), reason)
  }

  #fail(error: unknown): void {
    if (this.#finished) return
    this.#finished = true
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
