/**
 * Trace and span id checks shared by the protobuf and JSON decoders, so both reject the same
 * spans with the same reasons. Ids leave the decoders as lower-case hex.
 */

const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, i) =>
  i.toString(16).padStart(2, '0'),
)

/** Longest id text quoted in a rejection reason; a hostile client may send megabytes. */
const MAX_QUOTED_CHARS = 64

/** Lower-case hex of `bytes[start, start + length)`. */
export function bytesToHex(bytes: Uint8Array, start = 0, length = bytes.length - start): string {
  let hex = ''
  for (let i = start; i < start + length; i++) hex += HEX_BYTE[bytes[i]!]
  return hex
}

/** The id as it may appear in a reason: quoted, cut to a bounded length. */
export function quoteId(text: string): string {
  return JSON.stringify(
    text.length > MAX_QUOTED_CHARS ? `${text.slice(0, MAX_QUOTED_CHARS)}...` : text,
  )
}

const ALL_ZERO = /^0*$/

/** Which id a check is about, with the byte length OTLP requires of it. */
export type IdField = 'traceId' | 'spanId' | 'parentSpanId'

const ID_BYTES: Record<IdField, number> = { traceId: 16, spanId: 8, parentSpanId: 8 }

/**
 * Why a binary id is unusable, or undefined when it is fine. An all-zero trace or span id is
 * invalid per W3C Trace Context; an empty or all-zero parent span id means "root".
 */
export function binaryIdProblem(field: IdField, bytes: Uint8Array, start: number, length: number) {
  const expected = ID_BYTES[field]
  if (field === 'parentSpanId' && length === 0) return undefined
  if (length === 0) return `${field} is missing`
  if (length !== expected) {
    const shown = bytesToHex(bytes, start, Math.min(length, MAX_QUOTED_CHARS / 2))
    const more = length > MAX_QUOTED_CHARS / 2 ? '...' : ''
    return `${field} must be ${expected} bytes, got ${length} (0x${shown}${more})`
  }
  if (field === 'parentSpanId' || !isAllZero(bytes, start, length)) return undefined
  return `${field} must not be all zero (0x${bytesToHex(bytes, start, length)})`
}

export function isAllZero(bytes: Uint8Array, start: number, length: number): boolean {
  for (let i = start; i < start + length; i++) if (bytes[i] !== 0) return false
  return true
}

/**
 * Checks a hex id from OTLP/JSON (either case) and returns it in lower case, or the reason it is
 * unusable. The parent span id may be empty ("root"); an all-zero one also means root.
 */
export function checkHexId(field: IdField, text: string): { hex: string } | { problem: string } {
  const expected = ID_BYTES[field] * 2
  if (text.length === 0) {
    return field === 'parentSpanId' ? { hex: '' } : { problem: `${field} is missing` }
  }
  if (text.length !== expected || !isHex(text)) {
    return { problem: `${field} ${quoteId(text)} is not ${expected} hex characters` }
  }
  const hex = text.toLowerCase()
  if (ALL_ZERO.test(hex)) {
    return field === 'parentSpanId'
      ? { hex: '' }
      : { problem: `${field} ${quoteId(text)} is all zero` }
  }
  return { hex }
}

function isHex(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const digit = c >= 48 && c <= 57
    const lower = c >= 97 && c <= 102
    const upper = c >= 65 && c <= 70
    if (!digit && !lower && !upper) return false
  }
  return true
}
