import type { SpanKind } from '../../span/row'
import { readString } from '../attribute-reader'
import type { Attributes, OtlpSpan } from '../otlp-span'
import type { Convention } from './convention'
import { otelGenAi, otelGenAiKind } from './otel-genai'
import { normalizeAiSdkProvider, openRouterCost, providerMetadataUsage } from './vercel-provider'

/** Scope names of the AI SDK's tracers: `ai` (v3 to v7), `@ai-sdk/otel` (v7 integration). */
const SCOPES = new Set(['ai', '@ai-sdk/otel'])

function kindOf(attrs: Attributes, span: OtlpSpan): SpanKind | null {
  // A step groups the provider call and tool runs of one loop turn and names the model too.
  if (/^step \d+$/.test(span.name)) return 'other'
  // `invoke_agent` roots carry the run's aggregate usage on finish: an agent, never billed.
  return otelGenAiKind(attrs)
}

/**
 * Vercel AI SDK v7 `OpenTelemetry` integration: GenAI semantic conventions (`invoke_agent`
 * root, `step {n}`, `chat {model}` per provider call, `execute_tool`, `embeddings`) from the
 * AI SDK's scope, with the functionId as `gen_ai.agent.name` and provider metadata as in the
 * legacy format.
 */
export const vercelAiGenAi: Convention = {
  ...otelGenAi,
  name: 'vercel-ai-genai',
  matches: (attrs, span) =>
    SCOPES.has(span.scopeName) &&
    readString(attrs, ['ai.operationId']) === '' &&
    Object.keys(attrs).some((key) => key.startsWith('gen_ai.')),
  kind: kindOf,
  normalizeProvider: normalizeAiSdkProvider,
  usage: {
    ...otelGenAi.usage,
    reasoningTokens: [
      'gen_ai.usage.reasoning.output_tokens',
      'ai.usage.outputTokenDetails.reasoningTokens',
    ],
  },
  adjustUsage: (raw, attrs) => ({ ...raw, ...providerMetadataUsage(attrs) }),
  reportedCost: openRouterCost,
  taskName: ['gen_ai.agent.name', 'ai.telemetry.functionId'],
}
