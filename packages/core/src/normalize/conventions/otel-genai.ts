import type { SpanKind } from '../../span/row'
import { readString } from '../attribute-reader'
import type { Attributes } from '../otlp-span'
import type { Convention } from './convention'

/** `gen_ai.operation.name` values to span kinds (OTel GenAI semantic conventions). */
export const OPERATION_KINDS: Readonly<Record<string, SpanKind>> = {
  chat: 'llm',
  text_completion: 'llm',
  generate_content: 'llm',
  embeddings: 'embedding',
  invoke_agent: 'agent',
  create_agent: 'agent',
  execute_tool: 'tool',
  invoke_workflow: 'task',
  // Spellings seen from instrumentations that predate or extend the registry (Langfuse reads
  // the same ones): still one provider call each.
  completion: 'llm',
  generate: 'llm',
  embedding: 'embedding',
}

/**
 * The generic GenAI kind rules, in the order Langfuse settled on: the operation name, then a
 * tool id, then "a model is named, so a model was called".
 */
export function otelGenAiKind(attrs: Attributes): SpanKind | null {
  const operation = readString(attrs, ['gen_ai.operation.name'])
  const known = OPERATION_KINDS[operation]
  if (known) return known
  if (readString(attrs, ['gen_ai.tool.name', 'gen_ai.tool.call.id']) !== '') return 'tool'
  // A span that names an operation of its own (a framework's `workflow`, `execute_task`,
  // `retrieval`, `rerank`) and a model is not a model call: billing it would count its child
  // call twice. Only a span that names no operation is taken for a call by its model.
  if (operation !== '') return null
  if (readString(attrs, ['gen_ai.request.model', 'gen_ai.response.model']) !== '') return 'llm'
  return null
}

/**
 * The OTel GenAI semantic conventions, current names first and the deprecated ones after
 * (`gen_ai.system`, `prompt_tokens` / `completion_tokens`), since old instrumentations still
 * send them.
 */
export const otelGenAi: Convention = {
  name: 'otel-genai',
  matches: (attrs) => Object.keys(attrs).some((key) => key.startsWith('gen_ai.')),
  kind: otelGenAiKind,
  provider: ['gen_ai.provider.name', 'gen_ai.system'],
  normalizeProvider: normalizeGenAiSystem,
  requestModel: ['gen_ai.request.model'],
  responseModel: ['gen_ai.response.model'],
  operation: ['gen_ai.operation.name'],
  usage: {
    inputTokens: ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'],
    outputTokens: ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens'],
    cacheReadTokens: ['gen_ai.usage.cache_read.input_tokens'],
    cacheWriteTokens: [
      'gen_ai.usage.cache_creation.input_tokens',
      'gen_ai.usage.cache_write.input_tokens',
    ],
    cacheWrite1hTokens: ['agentmeter.usage.cache_write_1h_tokens'],
    reasoningTokens: ['gen_ai.usage.reasoning.output_tokens'],
  },
  inputExcludesCache: false,
  taskName: ['gen_ai.agent.name', 'gen_ai.workflow.name'],
  toolName: ['gen_ai.tool.name'],
  toolCallId: ['gen_ai.tool.call.id'],
  finishReasons: ['gen_ai.response.finish_reasons'],
  conversationId: ['gen_ai.conversation.id'],
}

/** Deprecated `gen_ai.system` values to their `gen_ai.provider.name` replacements (v1.37.0). */
const SYSTEM_RENAMES: Readonly<Record<string, string>> = {
  vertex_ai: 'gcp.vertex_ai',
  gemini: 'gcp.gemini',
  'az.ai.inference': 'azure.ai.inference',
  'az.ai.openai': 'azure.ai.openai',
  xai: 'x_ai',
}

/** A provider value as the current conventions spell it; older ones are upper-cased at times. */
export function normalizeGenAiSystem(value: string): string {
  const lower = value.trim().toLowerCase()
  return SYSTEM_RENAMES[lower] ?? lower
}
