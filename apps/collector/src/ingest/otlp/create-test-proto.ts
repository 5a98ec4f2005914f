/**
 * A tiny proto3 writer for tests that need bytes no real encoder emits: odd field orders,
 * unknown fields, extreme int64s, broken ids and broken framing. Used by this folder's tests only.
 */

const utf8 = new TextEncoder()

type Part = Uint8Array | number[]

export function concatParts(...parts: Part[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.length
  }
  return out
}

/** A varint of any uint64 (negative int64s are passed as their two's complement). */
export function varintBytes(value: bigint | number): number[] {
  let rest = BigInt.asUintN(64, BigInt(value))
  const bytes: number[] = []
  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80)
    rest >>= 7n
  }
  bytes.push(Number(rest))
  return bytes
}

export function tagBytes(field: number, wireType: number): number[] {
  return varintBytes((field << 3) | wireType)
}

export function varintField(field: number, value: bigint | number): Uint8Array {
  return concatParts(tagBytes(field, 0), varintBytes(value))
}

export function fixed64Field(field: number, value: bigint): Uint8Array {
  const bytes = new Uint8Array(8)
  new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, value), true)
  return concatParts(tagBytes(field, 1), bytes)
}

export function doubleField(field: number, value: number): Uint8Array {
  const bytes = new Uint8Array(8)
  new DataView(bytes.buffer).setFloat64(0, value, true)
  return concatParts(tagBytes(field, 1), bytes)
}

export function fixed32Field(field: number, value: number): Uint8Array {
  const bytes = new Uint8Array(4)
  new DataView(bytes.buffer).setUint32(0, value, true)
  return concatParts(tagBytes(field, 5), bytes)
}

export function bytesField(field: number, payload: Part): Uint8Array {
  return concatParts(tagBytes(field, 2), varintBytes(payload.length), payload)
}

export function stringField(field: number, text: string): Uint8Array {
  return bytesField(field, utf8.encode(text))
}

export function messageField(field: number, ...parts: Part[]): Uint8Array {
  return bytesField(field, concatParts(...parts))
}

export function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16))
}

/** `KeyValue` with an `AnyValue` built from `valueParts` (e.g. `varintField(3, 42)`). */
export function keyValue(field: number, key: string, ...valueParts: Part[]): Uint8Array {
  return messageField(field, stringField(1, key), messageField(2, ...valueParts))
}

/** A minimal valid Span with the given ids, as a ScopeSpans.spans field for `requestWithSpans`. */
export function spanBytes(traceId: string, spanId: string, ...more: Part[]): Uint8Array {
  return messageField(2, bytesField(1, hexBytes(traceId)), bytesField(2, hexBytes(spanId)), ...more)
}

/** `ExportTraceServiceRequest` with one ResourceSpans holding one ScopeSpans of `spans`. */
export function requestWithSpans(...spans: Uint8Array[]): Uint8Array {
  return messageField(1, messageField(2, ...spans))
}
