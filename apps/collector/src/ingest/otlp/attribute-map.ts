/**
 * Building attribute maps from untrusted keys, shared by both decoders.
 */

import type { AttributeValue, Attributes } from '@agentmeter/core'

/**
 * How deeply array and kvlist values may nest. Real instrumentations stay within a few levels;
 * the cap keeps a hostile body from exhausting the stack (each level costs a sender 2 bytes).
 */
export const MAX_VALUE_DEPTH = 64

/**
 * Sets `key` on a plain object. A key named `__proto__` would otherwise replace the object's
 * prototype instead of becoming an attribute; a repeated key keeps the last value.
 */
export function setAttribute(target: Attributes, key: string, value: AttributeValue): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    })
  } else {
    target[key] = value
  }
}
