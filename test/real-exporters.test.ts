import { ExportResultCode, type ExportResult } from '@opentelemetry/core'
import { OTLPTraceExporter as HttpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto'
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestSpan, hrNow } from './support/otlp-spans'
import { createTestCollector, type TestCollector } from './support/test-collector'

let collector: TestCollector

beforeAll(async () => {
  collector = await createTestCollector()
})

afterAll(async () => {
  await collector?.close()
})

type Compression = 'gzip' | 'none'

const EXPORTERS: Array<{
  name: string
  traceByte: string
  create: (compression: Compression) => SpanExporter
}> = [
  {
    name: '@opentelemetry/exporter-trace-otlp-http (JSON)',
    traceByte: 'a',
    create: (compression) =>
      new HttpJsonExporter({
        url: `${collector.url}/v1/traces`,
        headers: { authorization: `Bearer ${collector.apiKey}` },
        compression: compression as never,
      }),
  },
  {
    name: '@opentelemetry/exporter-trace-otlp-proto (protobuf)',
    traceByte: 'b',
    create: (compression) =>
      new ProtobufExporter({
        url: `${collector.url}/v1/traces`,
        headers: { authorization: `Bearer ${collector.apiKey}` },
        compression: compression as never,
      }),
  },
]

function exportSpans(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve))
}

/**
 * One AI SDK `generateText` call with a tool step, as its legacy telemetry writes it: the
 * operation span repeats the step's 14 / 20 tokens (fixtures 06 and 07).
 */
function vercelTree(traceId: string) {
  const outerId = `${traceId.slice(0, 14)}01`
  const attributes = {
    'ai.telemetry.functionId': 'test-generate-text',
    'ai.model.provider': 'openai.responses',
    'ai.model.id': 'gpt-4o-mini',
  }
  const outer = createTestSpan({
    traceId,
    spanId: outerId,
    name: 'ai.generateText',
    scope: 'ai',
    attributes: {
      ...attributes,
      'ai.operationId': 'ai.generateText',
      'ai.usage.promptTokens': 14,
      'ai.usage.completionTokens': 20,
    },
  })
  const step = createTestSpan({
    traceId,
    spanId: `${traceId.slice(0, 14)}02`,
    parentSpanId: outerId,
    name: 'ai.generateText.doGenerate',
    scope: 'ai',
    attributes: {
      ...attributes,
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.response.model': 'gpt-4o-mini-2024-07-18',
      'ai.usage.promptTokens': 14,
      'ai.usage.completionTokens': 20,
      'gen_ai.usage.input_tokens': 14,
      'gen_ai.usage.output_tokens': 20,
    },
  })
  const tool = createTestSpan({
    traceId,
    spanId: `${traceId.slice(0, 14)}03`,
    parentSpanId: outerId,
    name: 'ai.toolCall',
    scope: 'ai',
    attributes: { 'ai.operationId': 'ai.toolCall', 'ai.toolCall.name': 'get_weather' },
  })
  return { outer, step, tool }
}

interface TaskDetail {
  task: { name: string; inputTokens: number; outputTokens: number; costUsd: number }
  spans: Array<{ name: string; kind: string; costUsd: number | null }>
}

describe('the real OTel JS exporters into a running collector', () => {
  for (const { name, traceByte, create } of EXPORTERS) {
    for (const compression of ['none', 'gzip'] as const) {
      it(`should store one priced call per provider call from ${name}, compression ${compression}`, async () => {
        const traceId = `${traceByte}${compression === 'gzip' ? '1' : '0'}`.repeat(16)
        const exporter = create(compression)
        const { outer, step, tool } = vercelTree(traceId)

        // Children before their parent, across requests, and one span delivered twice.
        expect((await exportSpans(exporter, [step])).code).toBe(ExportResultCode.SUCCESS)
        expect((await exportSpans(exporter, [tool, outer])).code).toBe(ExportResultCode.SUCCESS)
        expect((await exportSpans(exporter, [step])).code).toBe(ExportResultCode.SUCCESS)
        await exporter.shutdown()

        const { status, body } = await collector.api<TaskDetail>(`/api/v1/tasks/${traceId}`)
        expect(status).toBe(200)
        expect(body.task).toMatchObject({
          name: 'test-generate-text',
          inputTokens: 14,
          outputTokens: 20,
        })
        // 14 × $0.15/M + 20 × $0.60/M, once.
        expect(Math.abs(body.task.costUsd - 0.0000141)).toBeLessThan(1e-12)
        expect(
          body.spans.map((span) => [span.name, span.kind]).sort((a, b) => (a[0]! < b[0]! ? -1 : 1)),
        ).toEqual([
          ['ai.generateText', 'task'],
          ['ai.generateText.doGenerate', 'llm'],
          ['ai.toolCall', 'tool'],
        ])
      })
    }
  }

  it('should carry spans made by a real tracer through the protobuf exporter with gzip', async () => {
    const provider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(EXPORTERS[1]!.create('gzip'))],
    })
    const tracer = provider.getTracer('com.anthropic.sdk.typescript')
    const span = tracer.startSpan('anthropic.messages.create', {
      startTime: hrNow(-30),
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4-20250514',
        'gen_ai.usage.input_tokens': 6000,
        'gen_ai.usage.cache_read.input_tokens': 2000,
        'gen_ai.usage.cache_write.input_tokens': 3000,
        'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 1000,
        'gen_ai.usage.output_tokens': 500,
      },
    })
    const traceId = span.spanContext().traceId
    span.end()
    await provider.forceFlush()
    await provider.shutdown()

    const { body } = await collector.api<TaskDetail>(`/api/v1/tasks/${traceId}`)
    expect(body.task).toMatchObject({ inputTokens: 6000, outputTokens: 500 })
    // 1000 × $3 + 2000 × $0.30 + 2000 × $3.75 + 1000 × $6 + 500 × $15, per million.
    expect(Math.abs(body.task.costUsd - 0.0246)).toBeLessThan(1e-12)
  })

  it('should bill a Pydantic AI run once: two chat calls, not the agent run that sums them', async () => {
    const traceId = 'c0'.repeat(16)
    const rootId = 'c000000000000001'
    const chat = (spanId: string, input: number, output: number) =>
      createTestSpan({
        traceId,
        spanId,
        parentSpanId: rootId,
        name: 'chat gpt-4o',
        scope: 'pydantic-ai',
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': input,
          'gen_ai.usage.output_tokens': output,
          'operation.cost': 0.5,
        },
      })
    const run = createTestSpan({
      traceId,
      spanId: rootId,
      name: 'invoke_agent support',
      scope: 'pydantic-ai',
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'support',
        // Older versions put the run's totals here, in the same names as the calls'.
        'gen_ai.usage.input_tokens': 182,
        'gen_ai.usage.output_tokens': 72,
      },
    })
    const exporter = EXPORTERS[0]!.create('gzip')
    const first = chat('c000000000000002', 57, 46)
    const second = chat('c000000000000003', 125, 26)
    for (const batch of [[second], [run, first], [second, first]]) {
      expect((await exportSpans(exporter, batch)).code).toBe(ExportResultCode.SUCCESS)
    }
    await exporter.shutdown()

    const { body } = await collector.api<TaskDetail>(`/api/v1/tasks/${traceId}`)
    expect(body.task).toMatchObject({ name: 'support', inputTokens: 182, outputTokens: 72 })
    // (57 + 125) × $2.50/M + (46 + 26) × $10/M, from the catalog, not the reported $0.50 each.
    expect(Math.abs(body.task.costUsd - 0.001175)).toBeLessThan(1e-12)
  })
})
