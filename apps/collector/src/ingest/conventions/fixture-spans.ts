/**
 * Test support: turns the recorded payloads in `otlp/fixtures/` (copies of `shared/otel/`) into
 * OTLP requests. Attribute maps (02-05) become one span each; ReadableSpan dumps (06-08, 19)
 * become the spans they were; OTLP files are posted as they are. The requests are written by the
 * real OTel JS serializers, so the decoders see what an exporter would send.
 */

import { readFileSync } from 'node:fs'
import type { HrTime } from '@opentelemetry/api'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { createTestReadableSpan, type TestSpanInput } from '../otlp/create-test-spans'

export function readFixture(name: string): Buffer {
  return readFileSync(new URL(`../otlp/fixtures/${name}`, import.meta.url))
}

/** Keys the attribute-map fixtures carry as test scaffolding of their source, not span data. */
const SCAFFOLDING = new Set(['input', 'output'])

/** One span from a flat attribute map, with the ids and scope given. */
export function spanFromAttributeMap(
  name: string,
  overrides: Partial<TestSpanInput> = {},
): ReadableSpan {
  const map = JSON.parse(readFixture(name).toString('utf8')) as Record<string, unknown>
  const attributes = Object.fromEntries(
    Object.entries(map).filter(([key]) => !SCAFFOLDING.has(key)),
  )
  return createTestReadableSpan({
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    name: String(map['gen_ai.operation.name'] ?? 'span'),
    kind: 2,
    startTime: [1764835200, 0],
    endTime: [1764835201, 500_000_000],
    attributes,
    ...overrides,
  })
}

interface SpanDump {
  name: string
  spanContext: { traceId: string; spanId: string }
  parentSpanId?: string
  attributes: Record<string, unknown>
  status: { code: number; message?: string }
  startTime: HrTime
  endTime: HrTime
  events: { name: string; time: HrTime; attributes: Record<string, unknown> }[]
}

/** The spans of a ReadableSpan dump, from the AI SDK's tracer (scope `ai`). */
export function spansFromDump(
  name: string,
  overrides: (index: number) => Partial<TestSpanInput> = () => ({}),
): ReadableSpan[] {
  const dumps = JSON.parse(readFixture(name).toString('utf8')) as SpanDump[]
  return dumps.map((dump, index) =>
    createTestReadableSpan({
      traceId: dump.spanContext.traceId,
      spanId: dump.spanContext.spanId,
      name: dump.name,
      kind: 0,
      startTime: dump.startTime,
      endTime: dump.endTime,
      attributes: dump.attributes,
      events: dump.events,
      status: { code: dump.status.code },
      scope: { name: 'ai' },
      ...overrides(index),
    }),
  )
}
