import { log } from './state'

/**
 * Runs a piece of our own instrumentation. Whatever it throws is reported to `diag` and
 * swallowed: the SDK must never throw into the host app. Only the error's name and message are
 * logged, never the data being read.
 */
export function safely<T>(what: string, fn: () => T): T | undefined {
  try {
    return fn()
  } catch (error) {
    reportFailure(what, error)
    return undefined
  }
}

/** What `safely` reports, for hot paths that catch inline rather than make a closure. */
export function reportFailure(what: string, error: unknown): void {
  log.warn(`${what} failed: ${describeError(error)}`)
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`
  return typeof error
}

/** Aborts look different in every layer (fetch, undici, the clients' own error classes). */
export function isAbortError(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  return (
    error.name === 'AbortError' ||
    error.constructor.name === 'APIUserAbortError' ||
    error.name === 'APIUserAbortError'
  )
}
