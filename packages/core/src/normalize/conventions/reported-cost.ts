import { readNumber } from '../attribute-reader'
import type { Attributes } from '../otlp-span'
import type { ReportedCost } from './convention'

/**
 * The first non-negative USD amount among `keys`, as an instrumentation's own estimate. Negative
 * or non-numeric values are ignored: a cost is never invented from them.
 */
export function readEstimatedCost(attrs: Attributes, keys: readonly string[]): ReportedCost | null {
  for (const key of keys) {
    const usd = readNumber(attrs, [key])
    if (usd !== undefined && usd >= 0) return { usd, billed: false, source: key }
  }
  return null
}
