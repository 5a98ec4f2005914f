import type { Attributes } from '../otlp-span'

/** A JSON object attribute (sent as a string or as a kvlist), or null when it is neither. */
export function readJsonObject(attrs: Attributes, key: string): Record<string, unknown> | null {
  const value = attrs[key]
  if (typeof value === 'string') {
    if (!value.trimStart().startsWith('{')) return null
    try {
      const parsed: unknown = JSON.parse(value)
      return isRecord(parsed) ? parsed : null
    } catch {
      return null
    }
  }
  return isRecord(value) && !(value instanceof Uint8Array) && !Array.isArray(value) ? value : null
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A finite number, or a numeric string, at `path` inside a parsed JSON object. */
export function numberAt(root: unknown, path: readonly string[]): number | undefined {
  let value: unknown = root
  for (const step of path) {
    if (!isRecord(value)) return undefined
    value = value[step]
  }
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value)
    return Number.isFinite(parsed) ? parsed : undefined
  }
  return undefined
}
