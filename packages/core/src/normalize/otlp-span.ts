/**
 * A span as decoded from OTLP, before any convention is applied: the collector's decoders
 * (protobuf and JSON) produce it and the normalizer turns it into a `SpanRow`.
 */

/** An OTLP AnyValue in plain JavaScript. 64-bit integers that do not fit a double are bigint. */
export type AttributeValue =
  | string
  | number
  | bigint
  | boolean
  | Uint8Array
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue }

export type Attributes = Record<string, AttributeValue>

export interface OtlpEvent {
  name: string
  timeUnixNano: string
  attributes: Attributes
}

export interface OtlpSpan {
  /** Lower-case hex, 32 characters. */
  traceId: string
  /** Lower-case hex, 16 characters. */
  spanId: string
  /** Lower-case hex, or '' for a root span. */
  parentSpanId: string
  name: string
  /** OTLP SpanKind: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number
  /** Unix epoch nanoseconds as a decimal string (too large for a double). */
  startTimeUnixNano: string
  endTimeUnixNano: string
  attributes: Attributes
  events: OtlpEvent[]
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  statusCode: number
  statusMessage: string
  resource: Attributes
  scopeName: string
  scopeVersion: string
}

/** A span the decoder could not accept, with the reason (for OTLP partial success). */
export interface RejectedSpan {
  index: number
  reason: string
}

export interface DecodedTraceRequest {
  spans: OtlpSpan[]
  rejected: RejectedSpan[]
}
