import type { SpanKind } from '../../span/row'
import { readString } from '../attribute-reader'
import type { Attributes } from '../otlp-span'
import type { Convention } from './convention'
import { normalizeGenAiSystem, otelGenAi, otelGenAiKind } from './otel-genai'

/** `traceloop.span.kind` values of the SDK's decorators (`@workflow`, `@task`, ...). */
const SPAN_KINDS: Readonly<Record<string, SpanKind>> = {
  workflow: 'task',
  task: 'task',
  agent: 'agent',
  tool: 'tool',
}

/** `llm.request.type` values of the LLM instrumentors' spans. */
const REQUEST_TYPES: Readonly<Record<string, SpanKind>> = {
  chat: 'llm',
  completion: 'llm',
  embedding: 'embedding',
  rerank: 'other',
}

function kindOf(attrs: Attributes): SpanKind | null {
  const decorated = SPAN_KINDS[readString(attrs, ['traceloop.span.kind'])]
  if (decorated) return decorated
  const requested = REQUEST_TYPES[readString(attrs, ['llm.request.type'])]
  if (requested) return requested
  return otelGenAiKind(attrs)
}

/**
 * Traceloop OpenLLMetry: decorator spans with `traceloop.span.kind` / `traceloop.workflow.name`,
 * LLM spans with `llm.request.type`, and both token generations: 2024-2025 `prompt_tokens`,
 * `llm.usage.total_tokens`, flat `cache_read_input_tokens`; 2026 `input_tokens` and the dotted
 * official cache names. `gen_ai.system` comes as `OpenAI` / `Anthropic` in older versions.
 */
export const traceloop: Convention = {
  ...otelGenAi,
  name: 'traceloop',
  matches: (attrs) =>
    readString(attrs, ['llm.request.type']) !== '' ||
    Object.keys(attrs).some((key) => key.startsWith('traceloop.')),
  kind: kindOf,
  normalizeProvider: normalizeGenAiSystem,
  usage: {
    inputTokens: ['gen_ai.usage.input_tokens', 'gen_ai.usage.prompt_tokens'],
    outputTokens: ['gen_ai.usage.output_tokens', 'gen_ai.usage.completion_tokens'],
    cacheReadTokens: [
      'gen_ai.usage.cache_read.input_tokens',
      'gen_ai.usage.cache_read_input_tokens',
    ],
    cacheWriteTokens: [
      'gen_ai.usage.cache_creation.input_tokens',
      'gen_ai.usage.cache_creation_input_tokens',
    ],
    cacheWrite1hTokens: [],
    reasoningTokens: [
      'gen_ai.usage.reasoning.output_tokens',
      'gen_ai.usage.reasoning_tokens',
      'llm.usage.reasoning_tokens',
    ],
  },
  operation: ['llm.request.type', 'traceloop.span.kind', 'gen_ai.operation.name'],
  taskName: ['traceloop.workflow.name', 'traceloop.entity.name', 'gen_ai.agent.name'],
  toolName: ['gen_ai.tool.name', 'traceloop.entity.name'],
  conversationId: [
    'gen_ai.conversation.id',
    'traceloop.association.properties.session_id',
    'traceloop.association.properties.conversation_id',
  ],
}
