/**
 * Realistic OTLP protobuf export bodies for the ingest benchmark: agent task trees (a task root,
 * LLM calls with usage and fingerprints, tool calls), each span carrying about 2 KB of
 * attributes, serialized by the real OTel protobuf serializer. One template body is built once;
 * `TraceIdStamper` then gives every request its own trace ids by overwriting bytes in place, so
 * the load generator sends unique spans without serializing anything per request.
 */

import { SpanKind, SpanStatusCode, TraceFlags, type Attributes } from '@opentelemetry/api'
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer'
import { resourceFromAttributes } from '@opentelemetry/resources'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'

/** About what an LLM span with request parameters and fingerprints carries. */
const TARGET_SPAN_BYTES = 2048
/** Trace ids of the template start with this marker, so they can be found in the bytes. */
const MARKER = 'ab5e1ce0'

// One resource object for every span, as one SDK process has: the serializer groups by it.
const RESOURCE = resourceFromAttributes({
  'service.name': 'support-agent',
  'deployment.environment.name': 'prod',
})

export interface TemplateBody {
  body: Uint8Array
  spans: number
  /** Byte offsets of the 16-byte trace ids inside `body`. */
  traceIdOffsets: number[]
}

function hex(value: number, width: number): string {
  return value.toString(16).padStart(width, '0')
}

function hashes(seed: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => hex((seed * 2654435761 + i * 40503) >>> 0, 16))
}

function llmAttributes(task: number, call: number): Attributes {
  const provider = call % 2 === 0 ? 'openai' : 'anthropic'
  return {
    'agentmeter.span.kind': 'llm',
    'agentmeter.step.name': ['plan', 'classify', 'answer'][call % 3]!,
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': provider,
    'gen_ai.request.model': provider === 'openai' ? 'gpt-4o' : 'claude-sonnet-4-20250514',
    'gen_ai.response.model':
      provider === 'openai' ? 'gpt-4o-2024-08-06' : 'claude-sonnet-4-20250514',
    'gen_ai.request.temperature': 0.2,
    'gen_ai.request.max_tokens': 1024,
    'gen_ai.usage.input_tokens': 1800 + ((task * 7 + call) % 400),
    'gen_ai.usage.output_tokens': 120 + (call % 50),
    'gen_ai.usage.cache_read.input_tokens': 1024,
    'gen_ai.usage.cache_creation.input_tokens': 0,
    'gen_ai.response.id': `resp_${hex(task, 8)}${hex(call, 4)}`,
    'gen_ai.response.finish_reasons': ['stop'],
    'agentmeter.cost.usd': 0.0041,
    'agentmeter.request.hash': hashes(task * 31 + call, 1)[0]!,
    'agentmeter.response.hash': hashes(task * 37 + call, 1)[0]!,
    'agentmeter.prompt.system_hash': hashes(7, 1)[0]!,
    'agentmeter.prompt.prefix_hashes': hashes(task + call, 6),
    'agentmeter.prompt.prefix_tokens': [600, 900, 1200, 1500, 1700, 1800],
    'agentmeter.prompt.minhash': hashes(task * 3 + call, 16),
  }
}

function toolAttributes(task: number, call: number): Attributes {
  return {
    'agentmeter.span.kind': 'tool',
    'agentmeter.step.name': 'lookup',
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': ['lookup_order', 'search_kb', 'refund'][call % 3]!,
    'gen_ai.tool.call.id': `call_${hex(task, 8)}${hex(call, 4)}`,
    'agentmeter.tool.args_hash': hashes(task * 11 + call, 1)[0]!,
    'agentmeter.tool.result_hash': hashes(task * 13 + call, 1)[0]!,
  }
}

function span(
  traceId: string,
  spanId: string,
  parentSpanId: string | undefined,
  name: string,
  startSeconds: number,
  attributes: Attributes,
): ReadableSpan {
  return {
    name,
    kind: parentSpanId ? SpanKind.CLIENT : SpanKind.INTERNAL,
    spanContext: () => ({ traceId, spanId, traceFlags: TraceFlags.SAMPLED }),
    parentSpanContext: parentSpanId
      ? { traceId, spanId: parentSpanId, traceFlags: TraceFlags.SAMPLED }
      : undefined,
    startTime: [startSeconds, 123_456_789],
    endTime: [startSeconds + 2, 987_654_321],
    status: { code: SpanStatusCode.OK },
    attributes,
    links: [],
    events: [],
    duration: [2, 864_197_532],
    ended: true,
    resource: RESOURCE,
    instrumentationScope: { name: '@agentmeter/sdk', version: '0.1.0' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  }
}

/** Pads a span's attributes (with request parameters, as instrumentations record them) to size. */
function pad(s: ReadableSpan): ReadableSpan {
  const size = ProtobufTraceSerializer.serializeRequest([s])!.byteLength
  const fill = TARGET_SPAN_BYTES - size - 48
  if (fill > 0) {
    ;(s.attributes as Record<string, unknown>)['gen_ai.request.stop_sequences'] = 'stop '
      .repeat(Math.ceil(fill / 5))
      .slice(0, fill)
  }
  return s
}

/**
 * One export body of `tasks` task trees: per task a root, `llmCalls` LLM spans and as many
 * tool spans, all under the root, starting one hour before `nowSeconds`.
 */
export function buildTemplateBody(
  tasks: number,
  llmCalls: number,
  nowSeconds: number,
): TemplateBody {
  const spans: ReadableSpan[] = []
  for (let task = 0; task < tasks; task++) {
    const traceId = `${MARKER}${hex(task, 24)}`
    const root = `${hex(task + 1, 8)}00000000`
    const start = nowSeconds - 3600 + task
    spans.push(
      pad(
        span(traceId, root, undefined, 'ticket-triage', start, {
          'agentmeter.span.kind': 'task',
          'agentmeter.task.name': ['ticket-triage', 'refund', 'research'][task % 3]!,
          'agentmeter.task.outcome': 'success',
        }),
      ),
    )
    for (let call = 0; call < llmCalls; call++) {
      const llm = llmAttributes(task, call)
      spans.push(
        pad(span(traceId, `${hex(task + 1, 8)}${hex(call * 2 + 1, 8)}`, root, 'chat', start, llm)),
        pad(
          span(traceId, `${hex(task + 1, 8)}${hex(call * 2 + 2, 8)}`, root, 'execute_tool', start, {
            ...toolAttributes(task, call),
          }),
        ),
      )
    }
  }
  const body = ProtobufTraceSerializer.serializeRequest(spans)!
  return { body, spans: spans.length, traceIdOffsets: findMarkers(body) }
}

function findMarkers(body: Uint8Array): number[] {
  const marker = Buffer.from(MARKER, 'hex')
  const offsets: number[] = []
  const buffer = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  for (let at = buffer.indexOf(marker); at >= 0; at = buffer.indexOf(marker, at + 1)) {
    offsets.push(at)
  }
  return offsets
}

/**
 * Copies of the template with unique trace ids: the 4 marker bytes of every trace id become
 * the request's sequence number (spans of one request keep their own distinct ids), so
 * request n never repeats the ids of request m and no span is collapsed as a duplicate.
 */
export class TraceIdStamper {
  constructor(private readonly template: TemplateBody) {}

  stamp(sequence: number): Uint8Array<ArrayBuffer> {
    const copy = new Uint8Array(this.template.body)
    for (const offset of this.template.traceIdOffsets) {
      copy[offset] = (sequence >>> 24) & 0xff
      copy[offset + 1] = (sequence >>> 16) & 0xff
      copy[offset + 2] = (sequence >>> 8) & 0xff
      copy[offset + 3] = sequence & 0xff
    }
    return copy
  }
}
