/**
 * SDK `ReadableSpan`s built field by field and the request bodies the OTel JS exporters would
 * send for them, written by the real serializers of `@opentelemetry/otlp-transformer`.
 */

import { SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api'
import type { Attributes, HrTime } from '@opentelemetry/api'
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer'
import { resourceFromAttributes } from '@opentelemetry/resources'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'

export interface SpanInput {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  startTime?: HrTime
  endTime?: HrTime
  attributes?: Attributes
  scope?: string
}

/** An ended span with exactly the given ids (the serializers copy them as they are). */
export function createTestSpan(input: SpanInput): ReadableSpan {
  const { traceId, spanId, parentSpanId } = input
  const start = input.startTime ?? hrNow(-60)
  return {
    name: input.name,
    kind: SpanKind.CLIENT,
    spanContext: () => ({ traceId, spanId, traceFlags: TraceFlags.SAMPLED }),
    parentSpanContext:
      parentSpanId === undefined
        ? undefined
        : { traceId, spanId: parentSpanId, traceFlags: TraceFlags.SAMPLED },
    startTime: start,
    endTime: input.endTime ?? [start[0] + 1, start[1]],
    status: { code: SpanStatusCode.UNSET },
    attributes: input.attributes ?? {},
    links: [],
    events: [],
    duration: [1, 0],
    ended: true,
    resource: resourceFromAttributes({ 'service.name': 'e2e' }),
    instrumentationScope: { name: input.scope ?? 'agentmeter.e2e' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  }
}

/** Seconds since the epoch plus `offsetSeconds`, as an HrTime. */
export function hrNow(offsetSeconds = 0): HrTime {
  return [Math.floor(Date.now() / 1000) + offsetSeconds, 0]
}

export function protobufBody(spans: ReadableSpan[]): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(ProtobufTraceSerializer.serializeRequest(spans) ?? new Uint8Array())
}

export function jsonBody(spans: ReadableSpan[]): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(JsonTraceSerializer.serializeRequest(spans) ?? new Uint8Array())
}

/** The `partialSuccess` of an `ExportTraceServiceResponse` protobuf body. */
export function decodeProtobufResponse(body: Uint8Array) {
  return ProtobufTraceSerializer.deserializeResponse(body)
}
