import { toUnixNano, type JsonSpanInput } from './otlp-json'

/** An LLM call as any OTLP client would post it, fingerprints as `agentmeter.*` attributes. */
export interface LlmCallInput {
  taskId: string
  taskName: string
  step?: string
  spanId: string
  at: Date
  provider?: string
  model: string
  input: number
  output: number
  cacheRead?: number
  cacheWrite?: number
  requestHash: string
  responseHash?: string
  prefixHashes?: string[]
  prefixTokens?: number[]
  systemHash?: string
  toolsHash?: string
  minhash?: string[]
  temperature?: number
}

export interface ToolCallInput {
  taskId: string
  taskName: string
  step?: string
  spanId: string
  at: Date
  tool: string
  argsHash: string
  resultHash: string
  resultTokens: number
  durationMs?: number
}

function traceIdOf(taskId: string): string {
  return Buffer.from(taskId).toString('hex').padEnd(32, '0').slice(0, 32)
}

export function llmCallSpan(call: LlmCallInput): JsonSpanInput {
  const attributes: JsonSpanInput['attributes'] = {
    'agentmeter.span.kind': 'llm',
    'agentmeter.task.id': call.taskId,
    'agentmeter.task.name': call.taskName,
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': call.provider ?? 'openai',
    'gen_ai.request.model': call.model,
    'gen_ai.usage.input_tokens': call.input,
    'gen_ai.usage.output_tokens': call.output,
    'gen_ai.usage.cache_read.input_tokens': call.cacheRead ?? 0,
    'gen_ai.usage.cache_creation.input_tokens': call.cacheWrite ?? 0,
    'agentmeter.request.hash': call.requestHash,
  }
  if (call.step) attributes['agentmeter.step.name'] = call.step
  if (call.responseHash) attributes['agentmeter.response.hash'] = call.responseHash
  if (call.prefixHashes) attributes['agentmeter.prompt.prefix_hashes'] = call.prefixHashes
  if (call.prefixTokens) {
    attributes['agentmeter.prompt.prefix_tokens'] = call.prefixTokens.map(String)
  }
  if (call.systemHash) attributes['agentmeter.prompt.system_hash'] = call.systemHash
  if (call.toolsHash) attributes['agentmeter.prompt.tools_hash'] = call.toolsHash
  if (call.minhash) attributes['agentmeter.prompt.minhash'] = call.minhash
  if (call.temperature !== undefined) attributes['gen_ai.request.temperature'] = call.temperature
  return {
    traceId: traceIdOf(call.taskId),
    spanId: call.spanId,
    parentSpanId: 'f'.repeat(16),
    name: `chat ${call.model}`,
    startTimeUnixNano: toUnixNano(call.at),
    endTimeUnixNano: toUnixNano(new Date(call.at.getTime() + 500)),
    attributes,
  }
}

/** The same call whose usage never arrived (a stream without its usage chunk): unpriced. */
export function withoutUsage(span: JsonSpanInput): JsonSpanInput {
  const {
    'gen_ai.usage.input_tokens': _i,
    'gen_ai.usage.output_tokens': _o,
    'gen_ai.usage.cache_read.input_tokens': _r,
    'gen_ai.usage.cache_creation.input_tokens': _w,
    ...rest
  } = span.attributes
  return { ...span, attributes: { ...rest, 'agentmeter.usage.known': false } }
}

export function toolCallSpan(call: ToolCallInput): JsonSpanInput {
  const attributes: JsonSpanInput['attributes'] = {
    'agentmeter.span.kind': 'tool',
    'agentmeter.task.id': call.taskId,
    'agentmeter.task.name': call.taskName,
    'gen_ai.operation.name': 'execute_tool',
    'gen_ai.tool.name': call.tool,
    'agentmeter.tool.args_hash': call.argsHash,
    'agentmeter.tool.result_hash': call.resultHash,
    'agentmeter.tool.result_tokens': call.resultTokens,
  }
  if (call.step) attributes['agentmeter.step.name'] = call.step
  return {
    traceId: traceIdOf(call.taskId),
    spanId: call.spanId,
    parentSpanId: 'f'.repeat(16),
    name: `execute_tool ${call.tool}`,
    startTimeUnixNano: toUnixNano(call.at),
    endTimeUnixNano: toUnixNano(new Date(call.at.getTime() + (call.durationMs ?? 50))),
    attributes,
  }
}

/** The task's root span, so the task is named and counted. */
export function taskRootSpan(taskId: string, taskName: string, at: Date): JsonSpanInput {
  return {
    traceId: traceIdOf(taskId),
    spanId: 'f'.repeat(16),
    name: taskName,
    kind: 1,
    startTimeUnixNano: toUnixNano(at),
    endTimeUnixNano: toUnixNano(new Date(at.getTime() + 3_600_000)),
    attributes: {
      'agentmeter.span.kind': 'task',
      'agentmeter.task.id': taskId,
      'agentmeter.task.name': taskName,
    },
  }
}
