/**
 * Decoder for OTLP/JSON `ExportTraceServiceRequest` bodies: the proto3 JSON mapping with OTLP's
 * deviations (hex ids, integer enums), read leniently where senders are known to differ
 * (snake_case keys, enum names, int64 as numbers, protobufjs Buffer ids and Long integers).
 * See https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding.
 */

import type { Attributes, DecodedTraceRequest, OtlpEvent, OtlpSpan } from '@agentmeter/core'
import { decodeAttributes, isLong, readBytes } from './decode-json-value'
import { parseUint64Decimal, uint64ToDecimal } from './int64'
import {
  InexactIntegerSignal,
  JsonCursor,
  JsonSpanProblem,
  describe,
  field,
  isObject,
  typeName,
} from './json-cursor'
import { decodeJsonText, parseJsonText } from './json-text'
import { binaryIdProblem, bytesToHex, checkHexId, isAllZero } from './span-ids'
import type { IdField } from './span-ids'

type JsonObject = Record<string, unknown>

const SPAN_KINDS: Readonly<Record<string, number>> = {
  UNSPECIFIED: 0,
  INTERNAL: 1,
  SERVER: 2,
  CLIENT: 3,
  PRODUCER: 4,
  CONSUMER: 5,
}

const STATUS_CODES: Readonly<Record<string, number>> = { UNSET: 0, OK: 1, ERROR: 2 }

const TWO_POW_64 = 2 ** 64

/**
 * Decodes an OTLP/JSON `ExportTraceServiceRequest`. Spans of one ResourceSpans share a single
 * `resource` object: treat it as read-only.
 *
 * @throws OtlpDecodeError (400) when the body is not JSON or a container has the wrong shape;
 *   spans with bad ids, timestamps or attribute values are listed in `rejected` instead.
 */
export function decodeJsonTraceRequest(body: Uint8Array): DecodedTraceRequest {
  const text = decodeJsonText(body)
  // Plain JSON.parse first: the second pass only runs for unquoted int64 values past 2^53.
  try {
    return decodeRequest(new JsonCursor(false), parseJsonText(text, false))
  } catch (err) {
    if (!(err instanceof InexactIntegerSignal)) throw err
  }
  return decodeRequest(new JsonCursor(true), parseJsonText(text, true))
}

function decodeRequest(c: JsonCursor, root: unknown): DecodedTraceRequest {
  if (!isObject(root)) c.shape(`expected an object with "resourceSpans", got ${typeName(root)}`)
  const out: DecodedTraceRequest = { spans: [], rejected: [] }
  const resourceSpansList = c.list(root, 'resourceSpans', 'resource_spans', 'ResourceSpans')
  let index = 0
  c.path.push('resourceSpans')
  for (let i = 0; i < resourceSpansList.length; i++) {
    const resourceSpans = resourceSpansList[i]
    c.path.push(i)
    if (!isObject(resourceSpans))
      c.shape(`expected a ResourceSpans object, got ${typeName(resourceSpans)}`)
    const resource = decodeResource(c, resourceSpans)
    const scopeSpansList = c.list(resourceSpans, 'scopeSpans', 'scope_spans', 'ScopeSpans')
    c.path.push('scopeSpans')
    for (let j = 0; j < scopeSpansList.length; j++) {
      c.path.push(j)
      index = decodeScopeSpans(c, scopeSpansList[j], resource, out, index)
      c.path.pop()
    }
    c.path.length -= 2
  }
  return out
}

function decodeResource(c: JsonCursor, resourceSpans: JsonObject): Attributes {
  const attributes: Attributes = {}
  const resource = resourceSpans.resource
  if (resource == null) return attributes
  c.path.push('resource')
  if (!isObject(resource)) c.shape(`expected a Resource object, got ${typeName(resource)}`)
  decodeAttributes(c, resource, attributes)
  c.path.pop()
  return attributes
}

/** Decodes one ScopeSpans into `out` and returns the index of the request's next span. */
function decodeScopeSpans(
  c: JsonCursor,
  scopeSpans: unknown,
  resource: Attributes,
  out: DecodedTraceRequest,
  firstIndex: number,
): number {
  if (!isObject(scopeSpans)) c.shape(`expected a ScopeSpans object, got ${typeName(scopeSpans)}`)
  let scopeName = ''
  let scopeVersion = ''
  const scope = scopeSpans.scope
  if (scope != null) {
    c.path.push('scope')
    if (!isObject(scope)) c.shape(`expected an InstrumentationScope object, got ${typeName(scope)}`)
    scopeName = readString(c, scope, 'name')
    scopeVersion = readString(c, scope, 'version')
    c.path.pop()
  }
  const spans = c.list(scopeSpans, 'spans', 'spans', 'Span')
  c.path.push('spans')
  let index = firstIndex
  for (let k = 0; k < spans.length; k++, index++) {
    c.path.push(k)
    const depth = c.path.length
    c.spanDepth = depth
    try {
      const span = decodeSpan(c, spans[k], resource)
      span.scopeName = scopeName
      span.scopeVersion = scopeVersion
      out.spans.push(span)
    } catch (err) {
      if (!(err instanceof JsonSpanProblem)) throw err
      out.rejected.push({ index, reason: err.message })
    }
    c.spanDepth = -1
    // A rejected span leaves its deeper path segments behind.
    c.path.length = depth - 1
  }
  c.path.pop()
  return index
}

function decodeSpan(c: JsonCursor, raw: unknown, resource: Attributes): OtlpSpan {
  if (!isObject(raw)) c.shape(`expected a Span object, got ${typeName(raw)}`)
  const span: OtlpSpan = {
    traceId: readId(c, field(raw, 'traceId', 'trace_id'), 'traceId'),
    spanId: readId(c, field(raw, 'spanId', 'span_id'), 'spanId'),
    parentSpanId: readId(c, field(raw, 'parentSpanId', 'parent_span_id'), 'parentSpanId'),
    name: readString(c, raw, 'name'),
    kind: readEnum(c, raw.kind, 'kind', 'SPAN_KIND_', SPAN_KINDS),
    startTimeUnixNano: readTime(
      c,
      field(raw, 'startTimeUnixNano', 'start_time_unix_nano'),
      'startTimeUnixNano',
    ),
    endTimeUnixNano: readTime(
      c,
      field(raw, 'endTimeUnixNano', 'end_time_unix_nano'),
      'endTimeUnixNano',
    ),
    attributes: {},
    events: [],
    statusCode: 0,
    statusMessage: '',
    resource,
    scopeName: '',
    scopeVersion: '',
  }
  decodeAttributes(c, raw, span.attributes)
  const events = c.list(raw, 'events', 'events', 'Span.Event')
  if (events.length > 0) {
    c.path.push('events')
    for (let i = 0; i < events.length; i++) {
      c.path.push(i)
      span.events.push(decodeEvent(c, events[i]))
      c.path.pop()
    }
    c.path.pop()
  }
  const status = raw.status
  if (status != null) {
    c.path.push('status')
    if (!isObject(status)) c.shape(`expected a Status object, got ${typeName(status)}`)
    span.statusCode = readEnum(c, status.code, 'code', 'STATUS_CODE_', STATUS_CODES)
    span.statusMessage = readString(c, status, 'message')
    c.path.pop()
  }
  return span
}

function decodeEvent(c: JsonCursor, raw: unknown): OtlpEvent {
  if (!isObject(raw)) c.shape(`expected a Span.Event object, got ${typeName(raw)}`)
  const event: OtlpEvent = {
    name: readString(c, raw, 'name'),
    timeUnixNano: readTime(c, field(raw, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
    attributes: {},
  }
  decodeAttributes(c, raw, event.attributes)
  return event
}

/** A hex id (either case), or the Buffer / byte-object shape of a protobufjs message. */
function readId(c: JsonCursor, raw: unknown, name: IdField): string {
  if (raw == null) return checked(c, checkHexId(name, ''))
  if (typeof raw === 'string') return checked(c, checkHexId(name, raw))
  const bytes = readBytes(raw)
  if (bytes === undefined) return c.bad(`${name} must be a hex string, got ${typeName(raw)}`)
  const problem = binaryIdProblem(name, bytes, 0, bytes.length)
  if (problem !== undefined) return c.bad(problem)
  return isAllZero(bytes, 0, bytes.length) ? '' : bytesToHex(bytes)
}

function checked(c: JsonCursor, result: { hex: string } | { problem: string }): string {
  return 'hex' in result ? result.hex : c.bad(result.problem)
}

/** Nanoseconds since the epoch as canonical decimal text; missing is "0". */
function readTime(c: JsonCursor, raw: unknown, name: string): string {
  if (raw == null) return '0'
  let time: string | undefined
  if (typeof raw === 'string') time = parseUint64Decimal(raw)
  else if (typeof raw === 'number') time = numberToUint64(c, raw)
  else if (isLong(raw)) time = uint64ToDecimal(raw.low, raw.high)
  if (time !== undefined) return time
  return c.bad(`${name} ${describe(raw)} is not a uint64 (expected decimal text or an integer)`)
}

function numberToUint64(c: JsonCursor, value: number): string | undefined {
  if (!Number.isInteger(value) || value < 0) return undefined
  if (Number.isSafeInteger(value)) return String(value)
  c.unsafeInteger()
  return value < TWO_POW_64 ? BigInt(value).toString() : undefined
}

/** An enum as OTLP writes it (an integer), or leniently its name, with or without prefix. */
function readEnum(
  c: JsonCursor,
  raw: unknown,
  name: string,
  prefix: string,
  names: Readonly<Record<string, number>>,
): number {
  if (raw == null) return 0
  if (typeof raw === 'number' && Number.isInteger(raw) && Math.abs(raw) < 2 ** 31) return raw
  if (typeof raw === 'string') {
    const upper = raw.toUpperCase()
    const known = names[upper.startsWith(prefix) ? upper.slice(prefix.length) : upper]
    if (known !== undefined) return known
    if (/^-?\d{1,10}$/.test(raw) && Math.abs(Number(raw)) < 2 ** 31) return Number(raw)
  }
  return c.bad(`${name} ${describe(raw)} is not a known enum value`)
}

/** A string field; missing or null is ''. */
function readString(c: JsonCursor, obj: JsonObject, key: string): string {
  const value = obj[key]
  if (value == null) return ''
  if (typeof value === 'string') return value
  c.path.push(key)
  return c.bad(`expected a string, got ${typeName(value)}`)
}
