import type { SpanKind } from '../../span/row'
import type { Attributes, OtlpSpan } from '../otlp-span'
import type { Convention } from './convention'
import { otelGenAi, otelGenAiKind } from './otel-genai'
import { readEstimatedCost } from './reported-cost'

/** Span names of instrumentation format 2, before the GenAI operation names were adopted. */
const V2_NAMES: ReadonlyArray<[RegExp, SpanKind]> = [
  [/^agent run\b/, 'agent'],
  [/^running tools?\b/, 'tool'],
]

function kindOf(attrs: Attributes, span: OtlpSpan): SpanKind | null {
  // Checked before the operation name: a v2 agent run has the model attributes of the run, and
  // its `gen_ai.usage.*` are the run's totals.
  for (const [pattern, kind] of V2_NAMES) if (pattern.test(span.name)) return kind
  return otelGenAiKind(attrs)
}

/**
 * Pydantic AI (and Logfire, which exports it): OTel GenAI names on `chat {model}` request spans,
 * provider extras as `gen_ai.usage.details.*`, `operation.cost` (its genai-prices estimate), and
 * agent-run spans `invoke_agent {agent}` / `agent run` whose totals are an aggregate:
 * `gen_ai.aggregated_usage.*` by default, `gen_ai.usage.*` in older versions.
 */
export const pydanticAi: Convention = {
  ...otelGenAi,
  name: 'pydantic-ai',
  matches: (attrs, span) =>
    span.scopeName === 'pydantic-ai' ||
    'logfire.msg' in attrs ||
    Object.keys(attrs).some((key) => key.startsWith('gen_ai.aggregated_usage.')),
  kind: kindOf,
  usage: {
    inputTokens: ['gen_ai.usage.input_tokens', 'gen_ai.aggregated_usage.input_tokens'],
    outputTokens: ['gen_ai.usage.output_tokens', 'gen_ai.aggregated_usage.output_tokens'],
    cacheReadTokens: [
      'gen_ai.usage.cache_read.input_tokens',
      'gen_ai.usage.details.cache_read_tokens',
      'gen_ai.usage.details.cache_read_input_tokens',
      'gen_ai.aggregated_usage.cache_read.input_tokens',
    ],
    cacheWriteTokens: [
      'gen_ai.usage.cache_creation.input_tokens',
      'gen_ai.usage.details.cache_write_tokens',
      'gen_ai.usage.details.cache_creation_input_tokens',
      'gen_ai.aggregated_usage.cache_creation.input_tokens',
    ],
    cacheWrite1hTokens: [],
    reasoningTokens: [
      'gen_ai.usage.reasoning.output_tokens',
      'gen_ai.usage.details.reasoning_tokens',
    ],
  },
  reportedCost: (attrs) => readEstimatedCost(attrs, ['operation.cost']),
  taskName: ['gen_ai.agent.name', 'agent_name'],
}
