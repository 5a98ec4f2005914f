/**
 * Protobuf decoding of OTLP attributes: KeyValue, AnyValue, ArrayValue and KeyValueList
 * (common/v1/common.proto), read straight into plain attribute values.
 */

import type { AttributeValue, Attributes } from '@agentmeter/core'
import { MAX_VALUE_DEPTH, setAttribute } from './attribute-map'
import { int64ToValue } from './int64'
import { OtlpDecodeError } from './otlp-decode-error'
import {
  ANY_VALUE,
  ARRAY_VALUE,
  KEY_VALUE,
  KEY_VALUE_LIST,
  WIRE_FIXED64,
  WIRE_LEN,
  WIRE_VARINT,
} from './otlp-proto-schema'
import type { ProtoReader } from './proto-reader'

/** Reads one KeyValue message ending at `end` into `target`. */
export function decodeKeyValue(
  r: ProtoReader,
  end: number,
  target: Attributes,
  depth: number,
): void {
  let key = ''
  let value: AttributeValue = null
  while (r.pos < end) {
    const tag = r.tag(end, KEY_VALUE)
    switch (tag) {
      case (1 << 3) | WIRE_LEN:
        key = r.key(end, KEY_VALUE, 1)
        break
      case (2 << 3) | WIRE_LEN:
        value = decodeAnyValue(r, r.len(end, KEY_VALUE, 2), depth)
        break
      default:
        r.skipField(tag, end, KEY_VALUE)
    }
  }
  setAttribute(target, key, value)
}

/** Reads an AnyValue message ending at `end`; an empty one (no value set) is null. */
export function decodeAnyValue(r: ProtoReader, end: number, depth: number): AttributeValue {
  let value: AttributeValue = null
  while (r.pos < end) {
    const tag = r.tag(end, ANY_VALUE)
    switch (tag) {
      case (1 << 3) | WIRE_LEN:
        value = r.string(end, ANY_VALUE, 1)
        break
      case (2 << 3) | WIRE_VARINT:
        value = r.varint(end, ANY_VALUE, 2) !== 0 || r.hi !== 0
        break
      case (3 << 3) | WIRE_VARINT: {
        const lo = r.varint(end, ANY_VALUE, 3)
        value = int64ToValue(lo, r.hi)
        break
      }
      case (4 << 3) | WIRE_FIXED64:
        value = r.double(end, ANY_VALUE, 4)
        break
      case (5 << 3) | WIRE_LEN:
        value = decodeArrayValue(r, r.len(end, ANY_VALUE, 5), enter(r, depth))
        break
      case (6 << 3) | WIRE_LEN:
        value = decodeKeyValueList(r, r.len(end, ANY_VALUE, 6), enter(r, depth))
        break
      case (7 << 3) | WIRE_LEN:
        value = r.bytes(end, ANY_VALUE, 7)
        break
      default:
        r.skipField(tag, end, ANY_VALUE)
    }
  }
  return value
}

function decodeArrayValue(r: ProtoReader, end: number, depth: number): AttributeValue[] {
  const values: AttributeValue[] = []
  while (r.pos < end) {
    const tag = r.tag(end, ARRAY_VALUE)
    if (tag === ((1 << 3) | WIRE_LEN)) {
      values.push(decodeAnyValue(r, r.len(end, ARRAY_VALUE, 1), depth))
    } else {
      r.skipField(tag, end, ARRAY_VALUE)
    }
  }
  return values
}

function decodeKeyValueList(r: ProtoReader, end: number, depth: number): Attributes {
  const values: Attributes = {}
  while (r.pos < end) {
    const tag = r.tag(end, KEY_VALUE_LIST)
    if (tag === ((1 << 3) | WIRE_LEN)) {
      decodeKeyValue(r, r.len(end, KEY_VALUE_LIST, 1), values, depth)
    } else {
      r.skipField(tag, end, KEY_VALUE_LIST)
    }
  }
  return values
}

function enter(r: ProtoReader, depth: number): number {
  if (depth >= MAX_VALUE_DEPTH) {
    throw new OtlpDecodeError(
      `malformed protobuf body: attribute values nested deeper than ${MAX_VALUE_DEPTH} levels at byte ${r.tagAt}`,
    )
  }
  return depth + 1
}
