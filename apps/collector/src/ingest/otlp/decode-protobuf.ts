/**
 * Hand-written decoder for a binary OTLP `ExportTraceServiceRequest`: reads the wire format
 * straight into OtlpSpans (no generated message objects in between), copies the resource
 * attributes and the scope onto each span, and sets aside spans whose ids are unusable.
 */

import type { Attributes, DecodedTraceRequest, OtlpEvent, OtlpSpan } from '@agentmeter/core'
import { decodeKeyValue } from './decode-protobuf-value'
import { uint64ToDecimal } from './int64'
import {
  EVENT,
  EXPORT_REQUEST,
  RESOURCE,
  RESOURCE_SPANS,
  SCOPE,
  SCOPE_SPANS,
  SPAN,
  STATUS,
  WIRE_FIXED64,
  WIRE_LEN,
  WIRE_VARINT,
} from './otlp-proto-schema'
import { ProtoReader } from './proto-reader'
import { binaryIdProblem, bytesToHex, isAllZero } from './span-ids'

/** Every span sits inside a ResourceSpans, which replaces this once it has been read. */
const PENDING_RESOURCE: Attributes = Object.freeze({})

interface DecodeState {
  r: ProtoReader
  out: DecodedTraceRequest
  /** Position of the next span in the request, counting rejected ones (for partial success). */
  index: number
}

/**
 * Decodes a protobuf `ExportTraceServiceRequest`. Spans of one ResourceSpans share a single
 * `resource` object: treat it as read-only.
 *
 * @throws OtlpDecodeError (status 400) when the bytes are truncated or malformed.
 */
export function decodeProtobufTraceRequest(body: Uint8Array): DecodedTraceRequest {
  const state: DecodeState = {
    r: new ProtoReader(body),
    out: { spans: [], rejected: [] },
    index: 0,
  }
  const { r } = state
  const end = body.length
  while (r.pos < end) {
    const tag = r.tag(end, EXPORT_REQUEST)
    if (tag === ((1 << 3) | WIRE_LEN)) {
      decodeResourceSpans(state, r.len(end, EXPORT_REQUEST, 1))
    } else {
      r.skipField(tag, end, EXPORT_REQUEST)
    }
  }
  return state.out
}

function decodeResourceSpans(state: DecodeState, end: number): void {
  const { r, out } = state
  const first = out.spans.length
  let resource: Attributes = {}
  while (r.pos < end) {
    const tag = r.tag(end, RESOURCE_SPANS)
    switch (tag) {
      case (1 << 3) | WIRE_LEN:
        resource = decodeResource(r, r.len(end, RESOURCE_SPANS, 1))
        break
      case (2 << 3) | WIRE_LEN:
        decodeScopeSpans(state, r.len(end, RESOURCE_SPANS, 2))
        break
      default:
        r.skipField(tag, end, RESOURCE_SPANS)
    }
  }
  // The resource may follow its spans on the wire, so it is attached once the message is read.
  for (let i = first; i < out.spans.length; i++) out.spans[i]!.resource = resource
}

function decodeResource(r: ProtoReader, end: number): Attributes {
  const attributes: Attributes = {}
  while (r.pos < end) {
    const tag = r.tag(end, RESOURCE)
    if (tag === ((1 << 3) | WIRE_LEN)) {
      decodeKeyValue(r, r.len(end, RESOURCE, 1), attributes, 0)
    } else {
      r.skipField(tag, end, RESOURCE)
    }
  }
  return attributes
}

function decodeScopeSpans(state: DecodeState, end: number): void {
  const { r, out } = state
  const first = out.spans.length
  let scopeName = ''
  let scopeVersion = ''
  while (r.pos < end) {
    const tag = r.tag(end, SCOPE_SPANS)
    switch (tag) {
      case (1 << 3) | WIRE_LEN: {
        const scopeEnd = r.len(end, SCOPE_SPANS, 1)
        scopeName = ''
        scopeVersion = ''
        while (r.pos < scopeEnd) {
          const scopeTag = r.tag(scopeEnd, SCOPE)
          if (scopeTag === ((1 << 3) | WIRE_LEN)) scopeName = r.string(scopeEnd, SCOPE, 1)
          else if (scopeTag === ((2 << 3) | WIRE_LEN)) scopeVersion = r.string(scopeEnd, SCOPE, 2)
          else r.skipField(scopeTag, scopeEnd, SCOPE)
        }
        break
      }
      case (2 << 3) | WIRE_LEN:
        decodeSpan(state, r.len(end, SCOPE_SPANS, 2))
        break
      default:
        r.skipField(tag, end, SCOPE_SPANS)
    }
  }
  for (let i = first; i < out.spans.length; i++) {
    const span = out.spans[i]!
    span.scopeName = scopeName
    span.scopeVersion = scopeVersion
  }
}

function decodeSpan(state: DecodeState, end: number): void {
  const { r } = state
  const span: OtlpSpan = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    name: '',
    kind: 0,
    startTimeUnixNano: '0',
    endTimeUnixNano: '0',
    attributes: {},
    events: [],
    statusCode: 0,
    statusMessage: '',
    resource: PENDING_RESOURCE,
    scopeName: '',
    scopeVersion: '',
  }
  // Ids are kept as offsets into the body until the span is complete, then checked once.
  let traceStart = 0
  let traceLength = 0
  let spanStart = 0
  let spanLength = 0
  let parentStart = 0
  let parentLength = 0
  while (r.pos < end) {
    const tag = r.tag(end, SPAN)
    switch (tag) {
      case (1 << 3) | WIRE_LEN: {
        const stop = r.len(end, SPAN, 1)
        traceStart = r.pos
        traceLength = stop - r.pos
        r.pos = stop
        break
      }
      case (2 << 3) | WIRE_LEN: {
        const stop = r.len(end, SPAN, 2)
        spanStart = r.pos
        spanLength = stop - r.pos
        r.pos = stop
        break
      }
      case (4 << 3) | WIRE_LEN: {
        const stop = r.len(end, SPAN, 4)
        parentStart = r.pos
        parentLength = stop - r.pos
        r.pos = stop
        break
      }
      case (5 << 3) | WIRE_LEN:
        span.name = r.string(end, SPAN, 5)
        break
      case (6 << 3) | WIRE_VARINT:
        span.kind = r.varint(end, SPAN, 6) | 0
        break
      case (7 << 3) | WIRE_FIXED64: {
        const lo = r.fixed64(end, SPAN, 7)
        span.startTimeUnixNano = uint64ToDecimal(lo, r.hi)
        break
      }
      case (8 << 3) | WIRE_FIXED64: {
        const lo = r.fixed64(end, SPAN, 8)
        span.endTimeUnixNano = uint64ToDecimal(lo, r.hi)
        break
      }
      case (9 << 3) | WIRE_LEN:
        decodeKeyValue(r, r.len(end, SPAN, 9), span.attributes, 0)
        break
      case (11 << 3) | WIRE_LEN:
        span.events.push(decodeEvent(r, r.len(end, SPAN, 11)))
        break
      case (15 << 3) | WIRE_LEN:
        decodeStatus(r, r.len(end, SPAN, 15), span)
        break
      default:
        r.skipField(tag, end, SPAN)
    }
  }

  const index = state.index++
  const body = r.buf
  const problem =
    binaryIdProblem('traceId', body, traceStart, traceLength) ??
    binaryIdProblem('spanId', body, spanStart, spanLength) ??
    binaryIdProblem('parentSpanId', body, parentStart, parentLength)
  if (problem !== undefined) {
    state.out.rejected.push({ index, reason: problem })
    return
  }
  span.traceId = bytesToHex(body, traceStart, traceLength)
  span.spanId = bytesToHex(body, spanStart, spanLength)
  if (!isAllZero(body, parentStart, parentLength)) {
    span.parentSpanId = bytesToHex(body, parentStart, parentLength)
  }
  state.out.spans.push(span)
}

function decodeEvent(r: ProtoReader, end: number): OtlpEvent {
  const event: OtlpEvent = { name: '', timeUnixNano: '0', attributes: {} }
  while (r.pos < end) {
    const tag = r.tag(end, EVENT)
    switch (tag) {
      case (1 << 3) | WIRE_FIXED64: {
        const lo = r.fixed64(end, EVENT, 1)
        event.timeUnixNano = uint64ToDecimal(lo, r.hi)
        break
      }
      case (2 << 3) | WIRE_LEN:
        event.name = r.string(end, EVENT, 2)
        break
      case (3 << 3) | WIRE_LEN:
        decodeKeyValue(r, r.len(end, EVENT, 3), event.attributes, 0)
        break
      default:
        r.skipField(tag, end, EVENT)
    }
  }
  return event
}

function decodeStatus(r: ProtoReader, end: number, span: OtlpSpan): void {
  while (r.pos < end) {
    const tag = r.tag(end, STATUS)
    if (tag === ((2 << 3) | WIRE_LEN)) span.statusMessage = r.string(end, STATUS, 2)
    else if (tag === ((3 << 3) | WIRE_VARINT)) span.statusCode = r.varint(end, STATUS, 3) | 0
    else r.skipField(tag, end, STATUS)
  }
}
