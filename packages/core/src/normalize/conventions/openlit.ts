import { readString } from '../attribute-reader'
import type { Attributes, OtlpSpan } from '../otlp-span'
import type { Convention } from './convention'
import { otelGenAi, otelGenAiKind } from './otel-genai'
import { readEstimatedCost } from './reported-cost'

function isOpenLit(attrs: Attributes, span: OtlpSpan): boolean {
  return (
    span.scopeName.startsWith('openlit') ||
    readString(attrs, ['telemetry.sdk.name']) === 'openlit' ||
    readString(span.resource, ['telemetry.sdk.name']) === 'openlit'
  )
}

/**
 * OpenLIT: OTel GenAI names (some pre-1.28 ones, content in `gen_ai.content.*` events), flat
 * cache names, and `gen_ai.usage.cost`, its own USD estimate, kept beside the computed cost.
 */
export const openLit: Convention = {
  ...otelGenAi,
  name: 'openlit',
  matches: isOpenLit,
  kind: otelGenAiKind,
  usage: {
    ...otelGenAi.usage,
    cacheReadTokens: [
      'gen_ai.usage.cache_read.input_tokens',
      'gen_ai.usage.cache_read_input_tokens',
    ],
    cacheWriteTokens: [
      'gen_ai.usage.cache_creation.input_tokens',
      'gen_ai.usage.cache_creation_input_tokens',
    ],
    reasoningTokens: [
      'gen_ai.usage.reasoning.output_tokens',
      'gen_ai.usage.reasoning_tokens',
      'gen_ai.usage.completion_tokens_details.reasoning_tokens',
    ],
  },
  reportedCost: (attrs) => readEstimatedCost(attrs, ['gen_ai.usage.cost']),
}
