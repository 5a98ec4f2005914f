import type { AttributeValue, Attributes } from './otlp-span'

/** First non-empty string among `keys`; numbers and booleans are given as text. */
export function readString(attrs: Attributes, keys: readonly string[]): string {
  for (const key of keys) {
    const value = attrs[key]
    if (typeof value === 'string' && value !== '') return value
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
      return String(value)
    }
  }
  return ''
}

/**
 * First numeric value among `keys`. Instrumentations send counts as ints, doubles or numeric
 * strings; all are accepted. Returns undefined when no key holds a number.
 */
export function readNumber(attrs: Attributes, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const value = toNumber(attrs[key])
    if (value !== undefined) return value
  }
  return undefined
}

export function readBoolean(attrs: Attributes, key: string): boolean | undefined {
  const value = attrs[key]
  if (typeof value === 'boolean') return value
  if (value === 'true') return true
  if (value === 'false') return false
  return undefined
}

/** A string array attribute; a JSON array string or a single string are accepted too. */
export function readStringArray(attrs: Attributes, keys: readonly string[]): string[] {
  for (const key of keys) {
    const value = attrs[key]
    if (Array.isArray(value)) return value.map((item) => stringifyValue(item))
    if (typeof value === 'string' && value !== '') {
      if (value.startsWith('[')) {
        try {
          const parsed: unknown = JSON.parse(value)
          if (Array.isArray(parsed)) return parsed.map((item) => String(item))
        } catch {
          // Not JSON after all: the string itself is the single value.
        }
      }
      return [value]
    }
  }
  return []
}

export function toNumber(value: AttributeValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value === 'bigint') return Number(value)
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value)
    return Number.isFinite(parsed) ? parsed : undefined
  }
  return undefined
}

/** Any attribute value as display text: strings as they are, everything else as JSON. */
export function stringifyValue(value: AttributeValue): string {
  if (typeof value === 'string') return value
  // As JSON writes them, without going through the serializer: 'null' for a non-finite number.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  // Most arrays (hashes, token counts, finish reasons) hold plain scalars: JSON.stringify
  // without a replacer is several times faster, and this runs for every attribute at ingest.
  if (Array.isArray(value) && value.every(isPlainScalar)) return JSON.stringify(value)
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'bigint' ? inner.toString() : inner,
  )
}

function isPlainScalar(value: unknown): boolean {
  const type = typeof value
  return type === 'string' || type === 'number' || type === 'boolean' || value === null
}
