import type { Attributes } from '@opentelemetry/api'
import { isContentAttribute } from '@agentmeter/core'
import { describeError } from './safe'
import { log } from './state'

/**
 * The app's hook for captured content: called with each prompt, completion, tool argument or
 * result text (JSON) as it leaves on a span, and with the attribute that holds it; returns what
 * is sent instead (e.g. with customer names replaced). Runs at span end, on our spans and on
 * those of any other instrumentation that captures content under a known attribute.
 */
export type ContentMask = (value: string, context: { attribute: string }) => string

/**
 * Applies `mask` to every content attribute of an ended span. Fails closed: when the hook
 * throws or returns something other than a string, the attribute is removed rather than sent
 * unmasked, and nothing reaches the app.
 */
export function maskContent(attributes: Attributes, mask: ContentMask): void {
  for (const key of Object.keys(attributes)) {
    if (!isContentAttribute(key)) continue
    const value = attributes[key]
    try {
      if (typeof value === 'string') {
        attributes[key] = checked(mask(value, { attribute: key }))
      } else if (Array.isArray(value)) {
        attributes[key] = value.map((item) =>
          typeof item === 'string' ? checked(mask(item, { attribute: key })) : item,
        ) as string[]
      }
    } catch (error) {
      delete attributes[key]
      log.warn(
        `the content mask failed on ${key}; the attribute was dropped: ${describeError(error)}`,
      )
    }
  }
}

function checked(masked: unknown): string {
  if (typeof masked !== 'string')
    throw new TypeError(`the mask returned ${typeof masked}, not a string`)
  return masked
}
