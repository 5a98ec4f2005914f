import { createHash } from 'node:crypto'
import { createOtlpJsonBody, toUnixNano, type JsonSpanInput } from './otlp-json'
import type { TestCollector } from './test-collector'

/** gpt-4o usage whose exact price is known: 1000 in / 500 out = $0.0075. */
export const GPT4O_1000_500 = { model: 'gpt-4o', input: 1000, output: 500 }
/** gpt-4o-mini 22 in / 3 out = $0.0000051. */
export const GPT4O_MINI_22_3 = { model: 'gpt-4o-mini', input: 22, output: 3 }

/** Where a collector listens and the key to use: an in-process test collector or a child process. */
export type CollectorEndpoint = Pick<TestCollector, 'url' | 'apiKey'>

let spanCounter = 0

function nextSpanId(): string {
  spanCounter += 1
  return (Date.now().toString(16) + spanCounter.toString(16).padStart(4, '0'))
    .slice(-16)
    .padStart(16, '0')
}

function traceIdOf(taskId: string): string {
  return createHash('md5').update(taskId).digest('hex')
}

/** The root span of a task (agentmeter convention), with optional extra attributes. */
export function taskRootSpan(
  taskId: string,
  name: string,
  start: Date,
  attributes: Record<string, string> = {},
): JsonSpanInput & { spanId: string } {
  return {
    traceId: traceIdOf(taskId),
    spanId: nextSpanId(),
    name,
    startTimeUnixNano: toUnixNano(start),
    endTimeUnixNano: toUnixNano(new Date(start.getTime() + 2000)),
    attributes: {
      'agentmeter.span.kind': 'task',
      'agentmeter.task.id': taskId,
      'agentmeter.task.name': name,
      ...attributes,
    },
  }
}

/** An OpenAI chat span of a task. */
export function llmSpan(
  taskId: string,
  parentSpanId: string,
  start: Date,
  call: { model: string; input: number; output: number },
): JsonSpanInput {
  return {
    traceId: traceIdOf(taskId),
    spanId: nextSpanId(),
    parentSpanId,
    name: `chat ${call.model}`,
    startTimeUnixNano: toUnixNano(new Date(start.getTime() + 100)),
    endTimeUnixNano: toUnixNano(new Date(start.getTime() + 900)),
    attributes: {
      'agentmeter.span.kind': 'llm',
      'agentmeter.task.id': taskId,
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': call.model,
      'gen_ai.usage.input_tokens': call.input,
      'gen_ai.usage.output_tokens': call.output,
    },
  }
}

/** POSTs spans as OTLP/JSON with the collector's key; throws unless 200. */
export async function sendSpans(
  collector: CollectorEndpoint,
  spans: JsonSpanInput[],
  serviceName = 'test-service',
): Promise<void> {
  const response = await fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
    body: createOtlpJsonBody(spans, serviceName),
  })
  if (response.status !== 200) throw new Error(`ingest answered ${response.status}`)
}

/** Sends a JSON request to the API with the collector's key. */
export async function callApi<T = Record<string, unknown>>(
  collector: CollectorEndpoint,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${collector.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as T }
}
