import { repairCount, sanitizeUsage, type RawUsage } from '../sanitize'
import type { Usage } from '../usage'

/** A provider's usage in the OTel convention, with what had to be corrected to get there. */
export interface MappedUsage {
  usage: Usage
  /** One sentence per correction or assumption, for the row's usage notes. */
  notes: string[]
}

/** A plain object (not an array), or null: provider payloads are untrusted JSON. */
export function asRecord(value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  return value as Record<string, unknown>
}

/**
 * Reads one token count. `undefined` when the field is absent (or null); otherwise a
 * non-negative integer, with a note when the reported value had to be repaired first, because
 * the counts are added together before `sanitizeUsage` ever sees them.
 */
export function readCount(
  record: Record<string, unknown> | null,
  field: string,
  notes: string[],
): number | undefined {
  const value = record?.[field]
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'number') {
    notes.push(`${field} was ${JSON.stringify(value)}, expected a number; ignored`)
    return undefined
  }
  return repairCount(field, value, notes)
}

/** True when at least one of `fields` is present: the object reports usage at all. */
export function hasAnyField(record: Record<string, unknown>, fields: readonly string[]): boolean {
  // A loop rather than `some`: this runs for every call the SDK traces, and a closure over
  // `record` would cost each an allocation.
  for (const field of fields) {
    if (record[field] !== undefined && record[field] !== null) return true
  }
  return false
}

/** Final step of every mapper: parts never exceed totals, notes of both steps kept in order. */
export function finish(raw: RawUsage, notes: string[]): MappedUsage {
  const sanitized = sanitizeUsage(raw)
  // Nearly every call has no note at all: no third array then.
  if (sanitized.notes.length === 0) return { usage: sanitized.usage, notes }
  return { usage: sanitized.usage, notes: [...notes, ...sanitized.notes] }
}
