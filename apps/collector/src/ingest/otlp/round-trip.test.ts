import type { OtlpSpan } from '@agentmeter/core'
import { SpanKind, SpanStatusCode, context, trace } from '@opentelemetry/api'
import { resourceFromAttributes } from '@opentelemetry/resources'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base'
import { describe, expect, it } from 'vitest'
import {
  createTestJsonBody,
  createTestProtobufBody,
  createTestReadableSpan,
} from './create-test-spans'
import { decodeTraceRequest } from './index'

const PROTOBUF = 'application/x-protobuf'
const JSON_TYPE = 'application/json'

function decodeBoth(spans: Parameters<typeof createTestProtobufBody>[0]) {
  const protobuf = decodeTraceRequest(createTestProtobufBody(spans), PROTOBUF)
  const json = decodeTraceRequest(createTestJsonBody(spans), JSON_TYPE)
  return { protobuf, json }
}

describe('OTLP decoding of what the OpenTelemetry JS encoders produce', () => {
  it('should decode every attribute type to the same exact OtlpSpan from protobuf and JSON', () => {
    const span = createTestReadableSpan({
      traceId: 'ea673708441c2984a54a3e3962d3595f',
      spanId: 'b904bffb20be6d7e',
      parentSpanId: '00f067aa0ba902b7',
      name: 'chat gpt-4o',
      kind: SpanKind.CLIENT,
      startTime: [1738074845, 669299666],
      endTime: [1738074846, 843448248],
      attributes: {
        'gen_ai.request.model': 'gpt-4o',
        unicode: 'héllo 🌍 \u00e9\u0301',
        empty: '',
        streaming: true,
        cached: false,
        'gen_ai.usage.input_tokens': 18495,
        negative: -7,
        zero: 0,
        maxSafe: Number.MAX_SAFE_INTEGER,
        // Beyond 2^53 but printed exactly by JSON.stringify, so both encodings carry the digits.
        twoPow53: 2 ** 53,
        big: 9e18,
        bigNegative: -9e18,
        ratio: 0.25,
        // Integral but outside int64: protobuf sends a double, JSON an intValue; both stay doubles.
        twoPow63: 2 ** 63,
        huge: 1.5e300,
        tiny: -5e-324,
        'gen_ai.response.finish_reasons': ['stop', 'length'],
        mixed: [1, 2.5, null],
        flags: [true, false],
        noValues: [],
        bytes: new Uint8Array([0, 1, 127, 128, 254, 255]),
        kvlist: { nested: { deep: 'x', list: ['a'] }, count: 1 },
        emptyKvlist: {},
      },
      events: [
        { name: 'gen_ai.choice', time: [1738074846, 843303227], attributes: { index: 0 } },
        { name: 'exception', time: [1738074846, 843303228] },
      ],
      status: { code: SpanStatusCode.ERROR, message: 'rate limited' },
      resource: resourceFromAttributes({ 'service.name': 'triage-agent', 'process.pid': 4242 }),
      scope: { name: '@agentmeter/sdk', version: '0.1.0' },
    })

    const { protobuf, json } = decodeBoth([span])

    const expected: OtlpSpan = {
      traceId: 'ea673708441c2984a54a3e3962d3595f',
      spanId: 'b904bffb20be6d7e',
      parentSpanId: '00f067aa0ba902b7',
      name: 'chat gpt-4o',
      kind: 3,
      startTimeUnixNano: '1738074845669299666',
      endTimeUnixNano: '1738074846843448248',
      attributes: {
        'gen_ai.request.model': 'gpt-4o',
        unicode: 'héllo 🌍 \u00e9\u0301',
        empty: '',
        streaming: true,
        cached: false,
        'gen_ai.usage.input_tokens': 18495,
        negative: -7,
        zero: 0,
        maxSafe: 9007199254740991,
        twoPow53: 9007199254740992n,
        big: 9000000000000000000n,
        bigNegative: -9000000000000000000n,
        ratio: 0.25,
        twoPow63: 9223372036854775808,
        huge: 1.5e300,
        tiny: -5e-324,
        'gen_ai.response.finish_reasons': ['stop', 'length'],
        mixed: [1, 2.5, null],
        flags: [true, false],
        noValues: [],
        bytes: new Uint8Array([0, 1, 127, 128, 254, 255]),
        kvlist: { nested: { deep: 'x', list: ['a'] }, count: 1 },
        emptyKvlist: {},
      },
      events: [
        { name: 'gen_ai.choice', timeUnixNano: '1738074846843303227', attributes: { index: 0 } },
        { name: 'exception', timeUnixNano: '1738074846843303228', attributes: {} },
      ],
      statusCode: 2,
      statusMessage: 'rate limited',
      resource: { 'service.name': 'triage-agent', 'process.pid': 4242 },
      scopeName: '@agentmeter/sdk',
      scopeVersion: '0.1.0',
    }
    expect(protobuf).toEqual({ spans: [expected], rejected: [] })
    expect(json).toEqual({ spans: [expected], rejected: [] })
    expect(typeof protobuf.spans[0]!.attributes.twoPow53).toBe('bigint')
    expect(typeof json.spans[0]!.attributes.maxSafe).toBe('number')
  })

  it('should copy each resource and scope onto its own spans when a request mixes several', () => {
    const resourceA = resourceFromAttributes({ 'service.name': 'a' })
    const resourceB = resourceFromAttributes({ 'service.name': 'b' })
    const base = { startTime: [1, 2] as [number, number], endTime: [3, 4] as [number, number] }
    const spans = [
      createTestReadableSpan({
        ...base,
        traceId: '0102030405060708090a0b0c0d0e0f10',
        spanId: '0000000000000001',
        name: 'a-openai',
        resource: resourceA,
        scope: { name: 'openai', version: '1' },
      }),
      createTestReadableSpan({
        ...base,
        traceId: '0102030405060708090a0b0c0d0e0f10',
        spanId: '0000000000000002',
        name: 'a-tool',
        resource: resourceA,
        scope: { name: 'tools' },
      }),
      createTestReadableSpan({
        ...base,
        traceId: '1102030405060708090a0b0c0d0e0f10',
        spanId: '0000000000000003',
        name: 'b-openai',
        resource: resourceB,
        scope: { name: 'openai', version: '1' },
      }),
    ]

    const { protobuf, json } = decodeBoth(spans)

    const summary = (span: OtlpSpan) => [
      span.name,
      span.resource,
      span.scopeName,
      span.scopeVersion,
    ]
    const expected = [
      ['a-openai', { 'service.name': 'a' }, 'openai', '1'],
      ['a-tool', { 'service.name': 'a' }, 'tools', ''],
      ['b-openai', { 'service.name': 'b' }, 'openai', '1'],
    ]
    expect(protobuf.spans.map(summary)).toEqual(expected)
    expect(json.spans.map(summary)).toEqual(expected)
    expect(protobuf.spans[0]!.startTimeUnixNano).toBe('1000000002')
    expect(protobuf.spans[0]!.endTimeUnixNano).toBe('3000000004')
  })

  it('should decode spans recorded by a BasicTracerProvider identically in both encodings', async () => {
    const exporter = new InMemorySpanExporter()
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': 'demo' }),
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    })
    const tracer = provider.getTracer('agentmeter.demo', '2.0.0')
    const root = tracer.startSpan('invoke_agent triage', {
      kind: SpanKind.INTERNAL,
      startTime: [1746026930, 220515904],
      attributes: { 'agentmeter.task.name': 'ticket-triage' },
    })
    const rootContext = root.spanContext()
    const child = tracer.startSpan(
      'chat claude-sonnet-4',
      {
        kind: SpanKind.CLIENT,
        startTime: [1746026930, 221000001],
        attributes: { 'gen_ai.usage.input_tokens': 7, 'gen_ai.usage.output_tokens': 445 },
      },
      trace.setSpanContext(context.active(), rootContext),
    )
    child.addEvent('gen_ai.content.completion', { index: 1 }, [1746026930, 221515903])
    child.setStatus({ code: SpanStatusCode.OK })
    child.end([1746026930, 221515904])
    root.end([1746026931, 0])
    await provider.forceFlush()
    const finished = exporter.getFinishedSpans()

    const { protobuf, json } = decodeBoth(finished)

    expect(protobuf.rejected).toEqual([])
    expect(json).toEqual(protobuf)
    expect(protobuf.spans).toEqual([
      {
        traceId: rootContext.traceId,
        spanId: child.spanContext().spanId,
        parentSpanId: rootContext.spanId,
        name: 'chat claude-sonnet-4',
        kind: 3,
        startTimeUnixNano: '1746026930221000001',
        endTimeUnixNano: '1746026930221515904',
        attributes: { 'gen_ai.usage.input_tokens': 7, 'gen_ai.usage.output_tokens': 445 },
        events: [
          {
            name: 'gen_ai.content.completion',
            timeUnixNano: '1746026930221515903',
            attributes: { index: 1 },
          },
        ],
        statusCode: 1,
        statusMessage: '',
        resource: expect.objectContaining({ 'service.name': 'demo' }),
        scopeName: 'agentmeter.demo',
        scopeVersion: '2.0.0',
      },
      {
        traceId: rootContext.traceId,
        spanId: rootContext.spanId,
        parentSpanId: '',
        name: 'invoke_agent triage',
        kind: 1,
        startTimeUnixNano: '1746026930220515904',
        endTimeUnixNano: '1746026931000000000',
        attributes: { 'agentmeter.task.name': 'ticket-triage' },
        events: [],
        statusCode: 0,
        statusMessage: '',
        resource: expect.objectContaining({ 'service.name': 'demo' }),
        scopeName: 'agentmeter.demo',
        scopeVersion: '2.0.0',
      },
    ])
    await provider.shutdown()
  })

  it('keeps the digits the JSON encoder wrote when it rounds an integer past 2^53', () => {
    // OTel JS writes int attributes as JSON numbers, so 2^60 goes out as the shortest double
    // text, 1152921504606847000; protobuf carries the exact 1152921504606846976.
    const span = createTestReadableSpan({
      traceId: 'ea673708441c2984a54a3e3962d3595f',
      spanId: 'b904bffb20be6d7e',
      name: 'rounded',
      startTime: [0, 1],
      endTime: [0, 2],
      attributes: { value: 2 ** 60 },
    })

    const { protobuf, json } = decodeBoth([span])

    expect(protobuf.spans[0]!.attributes.value).toBe(1152921504606846976n)
    expect(json.spans[0]!.attributes.value).toBe(1152921504606847000n)
  })
})
