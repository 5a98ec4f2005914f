import type { AttributeValue, OtlpSpan } from '@agentmeter/core'

/** Per-request and per-span limits of the ingest path, each refused with a message naming it. */
export interface IngestLimits {
  /** `AGENTMETER_MAX_SPANS_PER_REQUEST`: more is a 413 for the whole request. */
  maxSpansPerRequest: number
  /** `AGENTMETER_MAX_ATTRIBUTES_PER_SPAN`: a span with more is rejected alone. */
  maxAttributesPerSpan: number
  /** `AGENTMETER_MAX_ATTRIBUTE_CHARS`: a span with a longer attribute value is rejected alone. */
  maxAttributeChars: number
}

export const DEFAULT_INGEST_LIMITS: IngestLimits = {
  maxSpansPerRequest: 50_000,
  maxAttributesPerSpan: 512,
  maxAttributeChars: 128 * 1024,
}

/** Why a span breaks a limit, or null when it keeps to them. */
export function spanLimitViolation(span: OtlpSpan, limits: IngestLimits): string | null {
  const keys = Object.keys(span.attributes)
  if (keys.length > limits.maxAttributesPerSpan) {
    return `span ${span.spanId} has ${keys.length} attributes; the limit is ${limits.maxAttributesPerSpan} (AGENTMETER_MAX_ATTRIBUTES_PER_SPAN)`
  }
  for (const key of keys) {
    const size = valueChars(span.attributes[key]!)
    if (size > limits.maxAttributeChars) {
      return `span ${span.spanId} attribute ${key} holds ${size} characters; the limit is ${limits.maxAttributeChars} (AGENTMETER_MAX_ATTRIBUTE_CHARS)`
    }
  }
  return null
}

/** The characters an attribute value holds, strings within arrays and maps included. */
function valueChars(value: AttributeValue): number {
  if (typeof value === 'string') return value.length
  if (value instanceof Uint8Array) return value.byteLength
  if (Array.isArray(value))
    return value.reduce<number>((total, item) => total + valueChars(item), 0)
  if (value !== null && typeof value === 'object') {
    let total = 0
    for (const [key, item] of Object.entries(value)) total += key.length + valueChars(item)
    return total
  }
  return 0
}
