/**
 * Readers for provider payloads. Responses are untrusted shapes (other versions, compatible
 * servers, gateways), so every field is checked before it is used.
 */
export type Json = Record<string, unknown>

export function asRecord(value: unknown): Json | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
  return value as Json
}

/** Whether `value` is a plain record (not null, not an array): `asRecord` without a result. */
export function isRecord(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : []
}

/** A non-empty string, or undefined. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

export function asFiniteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}
