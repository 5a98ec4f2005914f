import type { SpanKind } from '../../span/row'
import { readString } from '../attribute-reader'
import type { Convention } from './convention'

/** `gen_ai.operation.name` values to span kinds (OTel GenAI semantic conventions). */
const OPERATION_KINDS: Record<string, SpanKind> = {
  chat: 'llm',
  text_completion: 'llm',
  generate_content: 'llm',
  embeddings: 'embedding',
  invoke_agent: 'agent',
  create_agent: 'agent',
  execute_tool: 'tool',
}

/**
 * The OTel GenAI semantic conventions, current names first and the deprecated ones after
 * (`gen_ai.system`, `prompt_tokens` / `completion_tokens`), since old instrumentations still
 * send them.
 */
export const otelGenAi: Convention = {
  name: 'otel-genai',
  matches: (attrs) => Object.keys(attrs).some((key) => key.startsWith('gen_ai.')),
  kind(attrs) {
    const operation = readString(attrs, ['gen_ai.operation.name'])
    const known = OPERATION_KINDS[operation]
    if (known) return known
    if (readString(attrs, ['gen_ai.tool.name', 'gen_ai.tool.call.id']) !== '') return 'tool'
    if (readString(attrs, ['gen_ai.request.model', 'gen_ai.response.model']) !== '') return 'llm'
    return null
  },
  provider: ['gen_ai.provider.name', 'gen_ai.system'],
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
