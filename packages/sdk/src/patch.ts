import { tracedMethod, type CallAdapter, type Method } from './llm/traced-method'

/** Marks our wrappers, across copies of this package, so nothing is wrapped twice. */
const WRAPPED = Symbol.for('agentmeter.sdk.wrapped')

/** One method we replaced, to put back on `disable()`. */
export interface Patch {
  target: Record<string, unknown>
  name: string
  original: Method
}

export function isWrapped(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as unknown as Record<symbol, unknown>)[WRAPPED] === true
}

/**
 * Replaces `target[name]` (a prototype's or one instance's method) with `wrap(original)`.
 * Returns undefined when there is no such method, or when it is one of our wrappers already:
 * then the calls are traced once, by the existing wrapper.
 */
export function wrapMethod(
  target: unknown,
  name: string,
  wrap: (original: Method) => Method,
): Patch | undefined {
  if (target === null || (typeof target !== 'object' && typeof target !== 'function')) {
    return undefined
  }
  const record = target as Record<string, unknown>
  const original = record[name]
  if (typeof original !== 'function' || isWrapped(original)) return undefined
  const wrapped = wrap(original as Method)
  Object.defineProperty(wrapped, WRAPPED, { value: true })
  Object.defineProperty(wrapped, 'name', { value: original.name })
  Object.defineProperty(record, name, {
    value: wrapped,
    configurable: true,
    writable: true,
    enumerable: false,
  })
  return { target: record, name, original: original as Method }
}

export function restore(patch: Patch): void {
  Object.defineProperty(patch.target, patch.name, {
    value: patch.original,
    configurable: true,
    writable: true,
    enumerable: false,
  })
}

/** A `create`-like method traced with `adapter`. */
export function traceWith(adapter: CallAdapter): (original: Method) => Method {
  return (original) => tracedMethod(original, adapter)
}
