/**
 * Bodies the collector answers OTLP/HTTP requests with, in the request's format: an
 * `ExportTraceServiceResponse` on success (with `partial_success` when spans were rejected) and a
 * `google.rpc.Status` on failure (https://opentelemetry.io/docs/specs/otlp/#otlphttp-response).
 */

import type { OtlpFormat } from './content-type'

/** Spans the collector did not accept, reported back without failing the request. */
export interface PartialSuccess {
  /** How many spans of the request were rejected (0 is allowed for warnings). */
  rejectedSpans: number
  /** Human-readable English explanation. */
  errorMessage: string
}

const utf8 = new TextEncoder()

/**
 * The `ExportTraceServiceResponse` body: `{}` / empty protobuf on full success, otherwise with
 * `partialSuccess` set. A partial success with no rejected spans and no message is a success.
 */
export function encodeExportResponse(format: 'protobuf', partial?: PartialSuccess): Uint8Array
export function encodeExportResponse(format: 'json', partial?: PartialSuccess): string
export function encodeExportResponse(
  format: OtlpFormat,
  partial?: PartialSuccess,
): Uint8Array | string
export function encodeExportResponse(
  format: OtlpFormat,
  partial?: PartialSuccess,
): Uint8Array | string {
  const empty =
    partial === undefined || (partial.rejectedSpans === 0 && partial.errorMessage === '')
  if (format === 'json') {
    if (empty) return '{}'
    return JSON.stringify({
      // int64 fields are decimal strings in proto3 JSON.
      partialSuccess: {
        rejectedSpans: String(partial.rejectedSpans),
        errorMessage: partial.errorMessage,
      },
    })
  }
  if (empty) return new Uint8Array(0)
  // ExportTracePartialSuccess: 1 rejected_spans int64, 2 error_message string.
  const inner = concat(
    partial.rejectedSpans === 0 ? [] : [[0x08], varint(partial.rejectedSpans)],
    partial.errorMessage === '' ? [] : lengthDelimited(0x12, utf8.encode(partial.errorMessage)),
  )
  // ExportTraceServiceResponse: 1 partial_success.
  return concat(lengthDelimited(0x0a, inner))
}

/** The `google.rpc.Status` error body, with only `message` (field 2) set, as OTLP allows. */
export function encodeStatus(format: 'protobuf', message: string): Uint8Array
export function encodeStatus(format: 'json', message: string): string
export function encodeStatus(format: OtlpFormat, message: string): Uint8Array | string
export function encodeStatus(format: OtlpFormat, message: string): Uint8Array | string {
  if (format === 'json') return JSON.stringify({ message })
  if (message === '') return new Uint8Array(0)
  return concat(lengthDelimited(0x12, utf8.encode(message)))
}

function lengthDelimited(tag: number, payload: Uint8Array): Uint8Array[] {
  return [Uint8Array.of(tag), varint(payload.length), payload]
}

function varint(value: number): Uint8Array {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`expected a non-negative safe integer, got ${value}`)
  }
  const bytes: number[] = []
  let rest = value
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80)
    rest = Math.floor(rest / 0x80)
  }
  bytes.push(rest)
  return Uint8Array.from(bytes)
}

function concat(...groups: (Uint8Array | number[])[][]): Uint8Array {
  const parts = groups.flat()
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}
