/**
 * OTLP/JSON attribute values (proto3 JSON mapping of common/v1/common.proto), plus the
 * protobufjs shapes some clients send when they JSON-serialise decoded messages: bytes as
 * `{"type":"Buffer","data":[...]}` and int64 as Long `{"low","high","unsigned"}`.
 */

import type { AttributeValue, Attributes } from '@agentmeter/core'
import { MAX_VALUE_DEPTH, setAttribute } from './attribute-map'
import { int64ToValue, parseInt64Decimal, uint64ToValue } from './int64'
import { describe, field, isObject, typeName } from './json-cursor'
import type { JsonCursor } from './json-cursor'

const INT64_MIN = -(2 ** 63)
const INT64_LIMIT = 2 ** 63
const DECIMAL_INTEGER = /^[-+]?\d+$/
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/

/** Reads `obj.attributes` (a list of `{key, value}`) into `target`. */
export function decodeAttributes(
  c: JsonCursor,
  obj: Record<string, unknown>,
  target: Attributes,
  depth = 0,
): void {
  const list = c.list(obj, 'attributes', 'attributes', '{key, value}')
  if (list.length === 0) return
  c.path.push('attributes')
  decodeKeyValues(c, list, target, depth)
  c.path.pop()
}

function decodeKeyValues(
  c: JsonCursor,
  list: readonly unknown[],
  target: Attributes,
  depth: number,
) {
  for (let i = 0; i < list.length; i++) {
    const kv = list[i]
    c.path.push(i)
    if (!isObject(kv)) c.shape(`expected {key, value}, got ${typeName(kv)}`)
    const key = kv.key ?? ''
    if (typeof key !== 'string') c.shape(`expected a string key, got ${typeName(key)}`)
    c.path.push('value')
    setAttribute(target, key, decodeAnyValue(c, kv.value, depth))
    c.path.pop()
    c.path.pop()
  }
}

/** An AnyValue object; a missing or empty one is null. */
export function decodeAnyValue(c: JsonCursor, raw: unknown, depth: number): AttributeValue {
  if (raw == null) return null
  if (!isObject(raw)) return c.bad(`expected an AnyValue object, got ${typeName(raw)}`)
  let value: unknown
  if ((value = field(raw, 'stringValue', 'string_value')) != null) {
    if (typeof value === 'string') return value
    return at(c, 'stringValue', `expected a string, got ${typeName(value)}`)
  }
  if ((value = field(raw, 'boolValue', 'bool_value')) != null) {
    if (typeof value === 'boolean') return value
    return at(c, 'boolValue', `expected true or false, got ${describe(value)}`)
  }
  if ((value = field(raw, 'intValue', 'int_value')) != null) {
    return readInt64(c, value) ?? at(c, 'intValue', `expected an int64, got ${describe(value)}`)
  }
  if ((value = field(raw, 'doubleValue', 'double_value')) != null) {
    return readDouble(value) ?? at(c, 'doubleValue', `expected a number, got ${describe(value)}`)
  }
  if ((value = field(raw, 'arrayValue', 'array_value')) != null) {
    return decodeArrayValue(c, value, depth)
  }
  if ((value = field(raw, 'kvlistValue', 'kvlist_value')) != null) {
    return decodeKvlistValue(c, value, depth)
  }
  if ((value = field(raw, 'bytesValue', 'bytes_value')) != null) {
    return readBytes(value) ?? at(c, 'bytesValue', `expected base64 text, got ${typeName(value)}`)
  }
  return null
}

function decodeArrayValue(c: JsonCursor, raw: unknown, outerDepth: number): AttributeValue[] {
  c.path.push('arrayValue')
  const depth = enter(c, outerDepth)
  if (!isObject(raw)) c.bad(`expected {values: [...]}, got ${typeName(raw)}`)
  const list = listOfValues(c, raw)
  const values: AttributeValue[] = new Array<AttributeValue>(list.length)
  c.path.push('values')
  for (let i = 0; i < list.length; i++) {
    c.path.push(i)
    values[i] = decodeAnyValue(c, list[i], depth)
    c.path.pop()
  }
  c.path.length -= 2
  return values
}

function decodeKvlistValue(c: JsonCursor, raw: unknown, outerDepth: number): Attributes {
  c.path.push('kvlistValue')
  const depth = enter(c, outerDepth)
  if (!isObject(raw)) c.bad(`expected {values: [...]}, got ${typeName(raw)}`)
  const list = listOfValues(c, raw)
  const values: Attributes = {}
  c.path.push('values')
  decodeKeyValues(c, list, values, depth)
  c.path.length -= 2
  return values
}

function listOfValues(c: JsonCursor, raw: Record<string, unknown>): readonly unknown[] {
  const list = raw.values ?? []
  if (Array.isArray(list)) return list
  c.path.push('values')
  return c.bad(`expected an array, got ${typeName(list)}`)
}

function enter(c: JsonCursor, depth: number): number {
  if (depth >= MAX_VALUE_DEPTH)
    c.shape(`attribute values nested deeper than ${MAX_VALUE_DEPTH} levels`)
  return depth + 1
}

function at(c: JsonCursor, key: string, detail: string): never {
  c.path.push(key)
  return c.bad(detail)
}

/**
 * An int64 given as a decimal string, a number or a protobufjs Long, as a number when safe and
 * a bigint otherwise (an integer outside int64 stays a double); undefined for anything else.
 */
export function readInt64(c: JsonCursor, raw: unknown): number | bigint | undefined {
  // OTel JS writes every integral number as intValue in JSON (2^63 and 1.5e300 too) but as
  // doubleValue in protobuf when it is outside int64: such values stay doubles, as in protobuf.
  if (typeof raw === 'string') {
    return (
      parseInt64Decimal(raw) ?? (DECIMAL_INTEGER.test(raw) ? fromDouble(Number(raw)) : undefined)
    )
  }
  if (typeof raw === 'number') {
    if (!Number.isInteger(raw)) return undefined
    if (Number.isSafeInteger(raw)) return raw || 0
    c.unsafeInteger()
    // With exact integers this is a literal like 1e20: plain integers of 16+ digits are strings.
    return fromDouble(raw)
  }
  if (isLong(raw))
    return raw.unsigned === true
      ? uint64ToValue(raw.low, raw.high)
      : int64ToValue(raw.low, raw.high)
  return undefined
}

/** An integral double past 2^53: a bigint inside int64 (-2^63 arrives rounded), else itself. */
function fromDouble(value: number): number | bigint {
  return value >= INT64_MIN && value < INT64_LIMIT ? BigInt(value) : value
}

/** A protobufjs Long as JSON.stringify writes it. */
export function isLong(raw: unknown): raw is { low: number; high: number; unsigned?: boolean } {
  return isObject(raw) && Number.isInteger(raw.low) && Number.isInteger(raw.high)
}

function readDouble(raw: unknown): number | undefined {
  if (typeof raw === 'number') return raw
  if (typeof raw !== 'string') return undefined
  // Proto3 JSON writes non-finite doubles as strings and allows numeric strings.
  if (raw === 'NaN') return NaN
  if (raw === 'Infinity') return Infinity
  if (raw === '-Infinity') return -Infinity
  const value = raw.trim() === '' ? NaN : Number(raw)
  return Number.isNaN(value) ? undefined : value
}

/** Base64 text (standard or URL-safe), a `{"type":"Buffer","data":[...]}` or `{"0": 1, ...}`. */
export function readBytes(raw: unknown): Uint8Array | undefined {
  if (typeof raw === 'string') {
    if (!BASE64.test(raw)) return undefined
    return new Uint8Array(Buffer.from(raw, 'base64'))
  }
  if (!isObject(raw)) return undefined
  const data = raw.type === 'Buffer' ? raw.data : indexedValues(raw)
  if (!Array.isArray(data)) return undefined
  const bytes = new Uint8Array(data.length)
  for (let i = 0; i < data.length; i++) {
    const byte: unknown = data[i]
    if (typeof byte !== 'number' || !Number.isInteger(byte) || byte < 0 || byte > 255)
      return undefined
    bytes[i] = byte
  }
  return bytes
}

/** The values of `{"0": a, "1": b, ...}` (how JSON.stringify writes a Uint8Array), in order. */
function indexedValues(raw: Record<string, unknown>): unknown[] | undefined {
  const keys = Object.keys(raw)
  for (let i = 0; i < keys.length; i++) if (keys[i] !== String(i)) return undefined
  return keys.map((key) => raw[key])
}
