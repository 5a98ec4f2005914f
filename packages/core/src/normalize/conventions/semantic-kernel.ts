import type { SpanKind } from '../../span/row'
import { readString } from '../attribute-reader'
import type { Attributes, OtlpSpan } from '../otlp-span'
import type { Convention } from './convention'
import { otelGenAi, otelGenAiKind } from './otel-genai'

/** Operation names Semantic Kernel used before it adopted the GenAI ones. */
const OPERATIONS: Readonly<Record<string, SpanKind>> = {
  chat_completion: 'llm',
  'chat.completions': 'llm',
  'text.completions': 'llm',
  text_completion: 'llm',
}

function kindOf(attrs: Attributes, span: OtlpSpan): SpanKind | null {
  const operation = readString(attrs, ['gen_ai.operation.name']) || span.name.split(' ', 1)[0]!
  return OPERATIONS[operation] ?? otelGenAiKind(attrs)
}

/**
 * Microsoft Semantic Kernel (scope `Microsoft.SemanticKernel*`): GenAI names, older operation
 * names (`chat_completion`, `chat.completions`), and content in the deprecated per-message
 * events (`gen_ai.user.message`, `gen_ai.choice`), which carry no usage.
 */
export const semanticKernel: Convention = {
  ...otelGenAi,
  name: 'semantic-kernel',
  matches: (_attrs, span) => span.scopeName.startsWith('Microsoft.SemanticKernel'),
  kind: kindOf,
}
