/**
 * Canonical JSON: object keys sorted, `undefined` members dropped, no whitespace. Two values that
 * mean the same request serialize to the same string whatever order their keys were built in,
 * so their hashes agree across processes, languages and SDK versions.
 *
 * Written as one pass that appends to a single string (no per-member arrays, `map` or `join`):
 * it runs on every prompt segment the SDK fingerprints. Non-finite numbers, functions and other
 * non-JSON values serialize as `null` (members holding functions are dropped).
 */
export function canonicalJson(value: unknown): string {
  return write(value, '')
}

function write(value: unknown, out: string): string {
  if (value === null || value === undefined) return out + 'null'
  switch (typeof value) {
    case 'string':
      return out + JSON.stringify(value)
    case 'number':
      return out + (Number.isFinite(value) ? JSON.stringify(value) : 'null')
    case 'boolean':
      return out + (value ? 'true' : 'false')
    case 'bigint':
      return out + value.toString()
    case 'object':
      return Array.isArray(value) ? writeArray(value, out) : writeObject(value, out)
    default:
      return out + 'null'
  }
}

function writeArray(items: readonly unknown[], out: string): string {
  out += '['
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ','
    out = write(items[i], out)
  }
  return out + ']'
}

function writeObject(value: object, out: string): string {
  const record = value as Record<string, unknown>
  const keys = Object.keys(record).sort()
  out += '{'
  let first = true
  for (const key of keys) {
    const member = record[key]
    if (member === undefined || typeof member === 'function') continue
    out += first ? JSON.stringify(key) + ':' : ',' + JSON.stringify(key) + ':'
    first = false
    out = write(member, out)
  }
  return out + '}'
}
