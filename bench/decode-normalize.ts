/**
 * Decode + normalize throughput of OTLP trace ingest: `decodeTraceRequest` then
 * `normalizeBatch` (conventions, usage, pricing, column mapping), for protobuf and JSON bodies
 * of ~2 KB spans, against `JSON.parse` of the same JSON payload measured in the same run.
 */

import { decodeTraceRequest, normalizeBatch } from '@agentmeter/collector'
import { SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api'
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer'
import { resourceFromAttributes } from '@opentelemetry/resources'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import type { BenchOptions, SuiteResult } from './main'
import { measure, printTable } from './support/measure'

const TARGET_SPAN_BYTES = 2048

/** A mix of the conventions seen in the wild, each span padded to about 2 KB of protobuf. */
const ATTRIBUTE_SETS: Record<string, string | number>[] = [
  {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o',
    'gen_ai.response.model': 'gpt-4o-2024-08-06',
    'gen_ai.usage.input_tokens': 1832,
    'gen_ai.usage.cache_read.input_tokens': 1024,
    'gen_ai.usage.output_tokens': 211,
    'gen_ai.response.id': 'chatcmpl-bench',
  },
  {
    'ai.operationId': 'ai.streamText.doStream',
    'operation.name': 'ai.streamText.doStream support',
    'ai.telemetry.functionId': 'support',
    'ai.model.provider': 'anthropic.messages',
    'ai.model.id': 'claude-sonnet-4-20250514',
    'ai.usage.inputTokens': 5400,
    'ai.usage.outputTokens': 380,
    'ai.response.providerMetadata':
      '{"anthropic":{"usage":{"input_tokens":200,"cache_read_input_tokens":5000,"cache_creation_input_tokens":200,"output_tokens":380}}}',
  },
  {
    'openinference.span.kind': 'LLM',
    'llm.provider': 'openai',
    'llm.model_name': 'gpt-4o-mini',
    'llm.token_count.prompt': 920,
    'llm.token_count.completion': 64,
    'llm.cost.total': 0.0001764,
  },
  {
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': 'lookup_order',
    'gen_ai.tool.call.id': 'call_bench',
  },
]

function createSpans(count: number): ReadableSpan[] {
  const resource = resourceFromAttributes({
    'service.name': 'bench',
    'deployment.environment.name': 'prod',
  })
  return Array.from({ length: count }, (_, index) => {
    const traceId = ((index >> 4) + 1).toString(16).padStart(32, '0')
    const spanId = (index + 1).toString(16).padStart(16, '0')
    const attributes = { ...ATTRIBUTE_SETS[index % ATTRIBUTE_SETS.length]! }
    const base = Math.floor(1_764_835_200 + index / 100)
    const span: ReadableSpan = {
      name: `span ${index % 7}`,
      kind: SpanKind.CLIENT,
      spanContext: () => ({ traceId, spanId, traceFlags: TraceFlags.SAMPLED }),
      parentSpanContext:
        index % 16 === 0
          ? undefined
          : {
              traceId,
              spanId: (index - (index % 16) + 1).toString(16).padStart(16, '0'),
              traceFlags: 1,
            },
      startTime: [base, (index * 7919) % 1e9],
      endTime: [base + 1, (index * 104729) % 1e9],
      status: { code: SpanStatusCode.OK },
      attributes,
      links: [],
      events: [],
      duration: [1, 0],
      ended: true,
      resource,
      instrumentationScope: { name: 'bench', version: '1.0.0' },
      droppedAttributesCount: 0,
      droppedEventsCount: 0,
      droppedLinksCount: 0,
    }
    // Pad with request parameters, as instrumentations record them, up to the target size.
    const size = ProtobufTraceSerializer.serializeRequest([span])!.byteLength
    attributes['gen_ai.request.stop_sequences'] = 'x'.repeat(
      Math.max(0, TARGET_SPAN_BYTES - size - 40),
    )
    return span
  })
}

interface CaseResult {
  case: string
  bodyBytes: number
  spans: number
  medianMs: number
  spansPerSecond: number
  mbPerSecond: number
}

function toResult(name: string, bytes: number, spans: number, medianMs: number): CaseResult {
  return {
    case: name,
    bodyBytes: bytes,
    spans,
    medianMs: Number(medianMs.toFixed(3)),
    spansPerSecond: Math.round(spans / (medianMs / 1000)),
    mbPerSecond: Number((bytes / 1e6 / (medianMs / 1000)).toFixed(1)),
  }
}

export async function run(options: BenchOptions): Promise<SuiteResult> {
  const spanCount = options.quick ? 250 : 2000
  const budgetMs = options.quick ? 400 : 3000
  const spans = createSpans(spanCount)
  const protobuf = ProtobufTraceSerializer.serializeRequest(spans)!
  const json = JsonTraceSerializer.serializeRequest(spans)!
  const decoder = new TextDecoder()

  // The outputs are checked once, so that a broken decoder cannot look fast.
  for (const [body, type] of [
    [protobuf, 'application/x-protobuf'],
    [json, 'application/json'],
  ] as const) {
    const { records, rejected } = normalizeBatch(decodeTraceRequest(body, type), 'bench')
    if (records.length !== spanCount || rejected.length > 0) {
      throw new Error(`${type}: ${records.length} records, ${rejected.length} rejected`)
    }
  }

  const baseline = measure(() => JSON.parse(decoder.decode(json)), budgetMs)
  const jsonDecode = measure(() => decodeTraceRequest(json, 'application/json'), budgetMs)
  const protobufDecode = measure(
    () => decodeTraceRequest(protobuf, 'application/x-protobuf'),
    budgetMs,
  )
  const jsonFull = measure(
    () => normalizeBatch(decodeTraceRequest(json, 'application/json'), 'bench'),
    budgetMs,
  )
  const protobufFull = measure(
    () => normalizeBatch(decodeTraceRequest(protobuf, 'application/x-protobuf'), 'bench'),
    budgetMs,
  )

  const results = [
    toResult('JSON.parse (baseline)', json.byteLength, spanCount, baseline.medianMs),
    toResult('json decode', json.byteLength, spanCount, jsonDecode.medianMs),
    toResult('json decode + normalize', json.byteLength, spanCount, jsonFull.medianMs),
    toResult('protobuf decode', protobuf.byteLength, spanCount, protobufDecode.medianMs),
    toResult('protobuf decode + normalize', protobuf.byteLength, spanCount, protobufFull.medianMs),
  ]
  const ratios = {
    jsonDecodeVsJsonParse: Number((jsonDecode.medianMs / baseline.medianMs).toFixed(2)),
    jsonDecodeNormalizeVsJsonParse: Number((jsonFull.medianMs / baseline.medianMs).toFixed(2)),
    protobufDecodeVsJsonParse: Number((protobufDecode.medianMs / baseline.medianMs).toFixed(2)),
    protobufDecodeNormalizeVsJsonParse: Number(
      (protobufFull.medianMs / baseline.medianMs).toFixed(2),
    ),
  }

  if (!options.quiet) {
    console.log(
      `decode-normalize: ${spanCount} spans, ~${Math.round(protobuf.byteLength / spanCount)} B/span protobuf, ~${Math.round(json.byteLength / spanCount)} B/span JSON`,
    )
    printTable([
      ['case', 'body bytes', 'median ms', 'spans/s', 'MB/s'],
      ...results.map((r) => [
        r.case,
        String(r.bodyBytes),
        r.medianMs.toFixed(3),
        String(r.spansPerSecond),
        r.mbPerSecond.toFixed(1),
      ]),
    ])
    console.log('time relative to JSON.parse of the same JSON payload:')
    for (const [name, ratio] of Object.entries(ratios)) console.log(`  ${name}: ${ratio}x`)
  }
  return {
    suite: 'decode-normalize',
    results: results as unknown as Record<string, unknown>[],
    ratios,
  }
}
