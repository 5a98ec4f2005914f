/**
 * Proto3 wire-format primitives over one request body. Every read is bounded by the end of the
 * enclosing message, so a lying length can never read past it, and every failure is an
 * OtlpDecodeError naming the byte offset and the field.
 * See https://protobuf.dev/programming-guides/encoding/.
 */

import { OtlpDecodeError } from './otlp-decode-error'
import {
  WIRE_END_GROUP,
  WIRE_FIXED32,
  WIRE_FIXED64,
  WIRE_LEN,
  WIRE_START_GROUP,
  WIRE_TYPE_NAMES,
  WIRE_VARINT,
} from './otlp-proto-schema'
import type { MessageSchema } from './otlp-proto-schema'

/** Unknown groups nest; past this depth the body is treated as hostile. */
const MAX_GROUP_DEPTH = 32

/** Key cache size: 4096 slots of at most 64 bytes bound it to about 256 KiB, across requests. */
const KEY_CACHE_SLOTS = 4096
const MAX_CACHED_KEY_BYTES = 64
const keyCacheBytes: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(KEY_CACHE_SLOTS)
const keyCacheStrings: (string | undefined)[] = new Array<string | undefined>(KEY_CACHE_SLOTS)

/** A field's name for error messages: `Span.attributes (field 9)`. */
export function fieldLabel(schema: MessageSchema, field: number): string {
  const known = schema.fields[field]
  return known ? `${schema.name}.${known[0]} (field ${field})` : `${schema.name} field ${field}`
}

export class ProtoReader {
  readonly buf: Uint8Array
  pos = 0
  /** High 32 bits of the last varint or fixed64 read; the low 32 bits are the return value. */
  hi = 0
  /** Offset of the last tag read, for error messages about its field. */
  tagAt = 0
  private readonly view: DataView
  /** The same bytes as a Buffer, whose native UTF-8 slicing is the fastest string decoder. */
  private readonly text: Buffer

  constructor(buf: Uint8Array) {
    this.buf = buf
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
    this.text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength)
  }

  /** Reads a field tag (field number << 3 | wire type) of a `schema` message ending at `end`. */
  tag(end: number, schema: MessageSchema): number {
    const pos = this.pos
    this.tagAt = pos
    const first = this.buf[pos]!
    // Fields 1 to 15 with a valid wire type: one byte, the common case by far.
    if (pos < end && first < 0x80 && first >= 8 && (first & 7) <= WIRE_FIXED32) {
      this.pos = pos + 1
      return first
    }
    const tag = this.varintAt(end, schema, TAG)
    const field = tag >>> 3
    const wireType = tag & 7
    if (this.hi !== 0 || field === 0) {
      throw malformed(`invalid field tag in ${schema.name} at byte ${this.tagAt}`)
    }
    if (wireType > WIRE_FIXED32) {
      throw malformed(
        `invalid wire type ${wireType} for ${fieldLabel(schema, field)} at byte ${this.tagAt}`,
      )
    }
    return tag
  }

  /** Reads a varint of the field of the last tag: the low 32 bits, unsigned; `hi` gets the rest. */
  varint(end: number, schema: MessageSchema, field: number): number {
    const pos = this.pos
    if (pos < end) {
      const byte = this.buf[pos]!
      if (byte < 0x80) {
        this.pos = pos + 1
        this.hi = 0
        return byte
      }
    }
    return this.varintAt(end, schema, field)
  }

  /** Reads a fixed64: the low 32 bits are returned, the high 32 go to `hi`. */
  fixed64(end: number, schema: MessageSchema, field: number): number {
    this.need(8, end, schema, field)
    const lo = this.view.getUint32(this.pos, true)
    this.hi = this.view.getUint32(this.pos + 4, true)
    this.pos += 8
    return lo
  }

  double(end: number, schema: MessageSchema, field: number): number {
    this.need(8, end, schema, field)
    const value = this.view.getFloat64(this.pos, true)
    this.pos += 8
    return value
  }

  /** Reads a length prefix and returns where the payload ends; `pos` is then at its start. */
  len(end: number, schema: MessageSchema, field: number): number {
    const at = this.pos
    const length = this.varint(end, schema, field)
    const left = end - this.pos
    if (this.hi !== 0 || length > left) {
      const declared = this.hi * 4294967296 + length
      throw truncated(
        `${fieldLabel(schema, field)} at byte ${at} declares ${declared} bytes but only ${left} remain in ${schema.name}`,
      )
    }
    return this.pos + length
  }

  /** Invalid UTF-8 becomes U+FFFD rather than failing the request, as most OTLP receivers do. */
  string(end: number, schema: MessageSchema, field: number): string {
    const stop = this.len(end, schema, field)
    const start = this.pos
    this.pos = stop
    return this.text.toString('utf8', start, stop)
  }

  /**
   * A string that recurs across spans (attribute keys): served from a small cache of recently
   * seen byte sequences, which skips UTF-8 decoding and hands out one string instance per key,
   * so property stores do not have to look up a fresh copy in V8's string table every time.
   */
  key(end: number, schema: MessageSchema, field: number): string {
    const stop = this.len(end, schema, field)
    const start = this.pos
    this.pos = stop
    const length = stop - start
    if (length > MAX_CACHED_KEY_BYTES) return this.text.toString('utf8', start, stop)
    const buf = this.buf
    // A sample of the bytes picks the slot; the full comparison below decides a hit.
    let hash = Math.imul(0x811c9dc5 ^ length, 0x01000193)
    const step = (length >>> 3) + 1
    for (let i = start; i < stop; i += step) hash = Math.imul(hash ^ buf[i]!, 0x01000193)
    if (length > 0) hash = Math.imul(hash ^ buf[stop - 1]!, 0x01000193)
    const slot = (hash >>> 0) & (KEY_CACHE_SLOTS - 1)
    const cached = keyCacheBytes[slot]
    if (cached !== undefined && cached.length === length) {
      let same = true
      for (let i = 0; i < length; i++) {
        if (cached[i] !== buf[start + i]) {
          same = false
          break
        }
      }
      if (same) return keyCacheStrings[slot]!
    }
    const key = this.text.toString('utf8', start, stop)
    keyCacheBytes[slot] = buf.slice(start, stop)
    keyCacheStrings[slot] = key
    return key
  }

  /** A copy, so a kept attribute does not pin the whole request body in memory. */
  bytes(end: number, schema: MessageSchema, field: number): Uint8Array {
    const stop = this.len(end, schema, field)
    const copy = this.buf.slice(this.pos, stop)
    this.pos = stop
    return copy
  }

  /**
   * Skips the field of `tag` by its wire type. A field the schema knows with a different wire
   * type is an error (the decoder would otherwise silently lose it); unknown fields are skipped.
   */
  skipField(tag: number, end: number, schema: MessageSchema, depth = 0): void {
    const field = tag >>> 3
    const wireType = tag & 7
    const known = schema.fields[field]
    if (known && known[1] !== wireType) {
      throw malformed(
        `${fieldLabel(schema, field)} at byte ${this.tagAt} has wire type ${wireType} (${WIRE_TYPE_NAMES[wireType]}), expected ${known[1]} (${WIRE_TYPE_NAMES[known[1]]})`,
      )
    }
    switch (wireType) {
      case WIRE_VARINT:
        this.varint(end, schema, field)
        return
      case WIRE_FIXED64:
        this.need(8, end, schema, field)
        this.pos += 8
        return
      case WIRE_LEN:
        this.pos = this.len(end, schema, field)
        return
      case WIRE_FIXED32:
        this.need(4, end, schema, field)
        this.pos += 4
        return
      case WIRE_START_GROUP:
        this.skipGroup(field, end, schema, depth)
        return
      case WIRE_END_GROUP:
        throw malformed(
          `unexpected end-group tag for ${fieldLabel(schema, field)} at byte ${this.tagAt}`,
        )
    }
  }

  private skipGroup(field: number, end: number, schema: MessageSchema, depth: number): void {
    const start = this.tagAt
    if (depth >= MAX_GROUP_DEPTH) {
      throw malformed(`groups nested deeper than ${MAX_GROUP_DEPTH} at byte ${start}`)
    }
    while (this.pos < end) {
      const tag = this.tag(end, schema)
      if ((tag & 7) === WIRE_END_GROUP) {
        if (tag >>> 3 === field) return
        throw malformed(
          `end-group tag at byte ${this.tagAt} does not close the group at byte ${start}`,
        )
      }
      this.skipField(tag, end, GROUP, depth + 1)
    }
    throw truncated(
      `group ${fieldLabel(schema, field)} at byte ${start} is not closed before byte ${end}`,
    )
  }

  private need(bytes: number, end: number, schema: MessageSchema, field: number): void {
    if (end - this.pos < bytes) {
      throw truncated(
        `${fieldLabel(schema, field)} at byte ${this.pos} needs ${bytes} bytes but only ${end - this.pos} remain in ${schema.name}`,
      )
    }
  }

  /** The general varint path: up to 10 bytes, split into 32-bit words without doubles. */
  private varintAt(end: number, schema: MessageSchema, field: number): number {
    const buf = this.buf
    const at = this.pos
    let pos = at
    let lo = 0
    for (let shift = 0; shift < 28; shift += 7) {
      if (pos >= end) throw truncatedVarint(schema, field, at)
      const byte = buf[pos++]!
      lo |= (byte & 0x7f) << shift
      if (byte < 0x80) return this.endVarint(pos, lo, 0)
    }
    if (pos >= end) throw truncatedVarint(schema, field, at)
    let byte = buf[pos++]!
    lo |= (byte & 0x0f) << 28
    let hi = (byte & 0x7f) >> 4
    if (byte < 0x80) return this.endVarint(pos, lo, hi)
    for (let shift = 3; shift < 38; shift += 7) {
      if (pos >= end) throw truncatedVarint(schema, field, at)
      byte = buf[pos++]!
      hi |= (byte & 0x7f) << shift
      if (byte < 0x80) return this.endVarint(pos, lo, hi)
    }
    throw malformed(`${varintLabel(schema, field)} at byte ${at} has a varint longer than 10 bytes`)
  }

  private endVarint(pos: number, lo: number, hi: number): number {
    this.pos = pos
    this.hi = hi >>> 0
    return lo >>> 0
  }
}

/** Stands for "the tag itself" where a field number is expected. */
const TAG = -1

function varintLabel(schema: MessageSchema, field: number): string {
  return field === TAG ? `a field tag in ${schema.name}` : fieldLabel(schema, field)
}

function truncatedVarint(schema: MessageSchema, field: number, at: number): OtlpDecodeError {
  return truncated(`${varintLabel(schema, field)} at byte ${at} ends inside a varint`)
}

/** Fields inside an unknown group have no schema. */
const GROUP: MessageSchema = { name: 'group', fields: {} }

function truncated(detail: string): OtlpDecodeError {
  return new OtlpDecodeError(`truncated protobuf body: ${detail}`)
}

function malformed(detail: string): OtlpDecodeError {
  return new OtlpDecodeError(`malformed protobuf body: ${detail}`)
}
