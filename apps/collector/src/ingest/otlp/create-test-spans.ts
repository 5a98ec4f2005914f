/**
 * Test builders: SDK `ReadableSpan`s as the OpenTelemetry JS exporters see them, serialized by
 * the real OTLP encoders of `@opentelemetry/otlp-transformer`. Used by this folder's tests only.
 */

import { SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api'
import type { Attributes as SdkAttributes, HrTime } from '@opentelemetry/api'
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer'
import { resourceFromAttributes } from '@opentelemetry/resources'
import type { Resource } from '@opentelemetry/resources'
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace-base'

export interface TestSpanInput {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind?: SpanKind
  startTime: HrTime
  endTime: HrTime
  /** Any OTLP AnyValue shape: the encoders also take Uint8Array and plain objects (kvlists). */
  attributes?: Record<string, unknown>
  events?: { name: string; time: HrTime; attributes?: Record<string, unknown> }[]
  status?: { code: SpanStatusCode; message?: string }
  resource?: Resource
  scope?: { name: string; version?: string }
}

/** A finished span built field by field, so ids and nanosecond times are exactly as given. */
export function createTestReadableSpan(input: TestSpanInput): ReadableSpan {
  const { traceId, spanId, parentSpanId } = input
  const events: TimedEvent[] = (input.events ?? []).map((event) => ({
    name: event.name,
    time: event.time,
    attributes: event.attributes as SdkAttributes | undefined,
    droppedAttributesCount: 0,
  }))
  return {
    name: input.name,
    kind: input.kind ?? SpanKind.INTERNAL,
    spanContext: () => ({ traceId, spanId, traceFlags: TraceFlags.SAMPLED }),
    parentSpanContext:
      parentSpanId === undefined
        ? undefined
        : { traceId, spanId: parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: false },
    startTime: input.startTime,
    endTime: input.endTime,
    status: input.status ?? { code: SpanStatusCode.UNSET },
    attributes: (input.attributes ?? {}) as SdkAttributes,
    links: [],
    events,
    duration: [0, 0],
    ended: true,
    resource: input.resource ?? resourceFromAttributes({}),
    instrumentationScope: input.scope ?? { name: 'agentmeter.test' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  }
}

/** The OTLP protobuf request body the OTel JS protobuf exporter would send for `spans`. */
export function createTestProtobufBody(spans: ReadableSpan[]): Uint8Array {
  const body = ProtobufTraceSerializer.serializeRequest(spans)
  if (body === undefined) throw new Error('ProtobufTraceSerializer returned no body')
  return body
}

/** The OTLP/JSON request body the OTel JS HTTP exporter would send for `spans`. */
export function createTestJsonBody(spans: ReadableSpan[]): Uint8Array {
  const body = JsonTraceSerializer.serializeRequest(spans)
  if (body === undefined) throw new Error('JsonTraceSerializer returned no body')
  return body
}
