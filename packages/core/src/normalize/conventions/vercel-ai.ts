import type { SpanKind } from '../../span/row'
import { readNumber, readString } from '../attribute-reader'
import type { Attributes, OtlpSpan } from '../otlp-span'
import type { Convention } from './convention'
import { normalizeAiSdkProvider, openRouterCost, providerMetadataUsage } from './vercel-provider'

/** Outer operation spans: they repeat the summed usage of their step spans, never billed. */
const OPERATIONS = new Set([
  'ai.generateText',
  'ai.streamText',
  'ai.generateObject',
  'ai.streamObject',
  'ai.embed',
  'ai.embedMany',
  'ai.rerank',
])

/** `ai.operationId`, or the first word of `operation.name` (`"<operationId> <functionId>"`). */
function operationId(attrs: Attributes): string {
  const stated = readString(attrs, ['ai.operationId'])
  if (stated !== '') return stated
  return readString(attrs, ['operation.name']).split(' ', 1)[0] ?? ''
}

function kindOf(attrs: Attributes): SpanKind | null {
  const id = operationId(attrs)
  if (id.endsWith('.doGenerate') || id.endsWith('.doStream')) return 'llm'
  if (id.endsWith('.doEmbed')) return 'embedding'
  if (id === 'ai.toolCall') return 'tool'
  if (OPERATIONS.has(id)) return 'task'
  // Spans renamed by hand keep only their counts: a span that reports a provider's usage and
  // is no operation span made the call (Langfuse's prompt-cache test span has no model at all).
  if (id === '' && Object.keys(attrs).some((key) => USAGE_KEY.test(key))) return 'llm'
  return null
}

const USAGE_KEY = /^(ai\.usage\.|gen_ai\.usage\.)/

/** A span of the AI SDK's legacy `ai.*` telemetry (v3 to v6, and v7's `LegacyOpenTelemetry`). */
function isLegacySpan(attrs: Attributes, span: OtlpSpan): boolean {
  if (operationId(attrs).startsWith('ai.')) return true
  // v7's GenAI format may add `ai.usage.*` details, but always names its operation.
  if (readString(attrs, ['gen_ai.operation.name']) !== '') return false
  return span.scopeName === 'ai' && Object.keys(attrs).some((key) => key.startsWith('ai.'))
}

/**
 * Vercel AI SDK, legacy `ai.*` telemetry, in all its usage generations: v4
 * `ai.usage.promptTokens` / `completionTokens`, v5-v6 `inputTokens` / `outputTokens` /
 * `cachedInputTokens` / `reasoningTokens`, late v6-v7 `inputTokenDetails` /
 * `outputTokenDetails`, embeddings' `ai.usage.tokens`, and the provider's raw counts inside
 * `ai.response.providerMetadata`. Only the `do*` step spans made a provider call; the operation
 * span around them is a task (or `other` when nested) and its repeated usage is not billed.
 */
export const vercelAi: Convention = {
  name: 'vercel-ai',
  matches: isLegacySpan,
  kind: kindOf,
  provider: ['ai.model.provider', 'gen_ai.system'],
  normalizeProvider: normalizeAiSdkProvider,
  requestModel: ['ai.model.id', 'gen_ai.request.model'],
  responseModel: ['ai.response.model', 'gen_ai.response.model'],
  operation: ['ai.operationId'],
  usage: {
    inputTokens: [
      'ai.usage.inputTokens',
      'ai.usage.promptTokens',
      'gen_ai.usage.input_tokens',
      'gen_ai.usage.prompt_tokens',
      'ai.usage.tokens',
    ],
    outputTokens: [
      'ai.usage.outputTokens',
      'ai.usage.completionTokens',
      'gen_ai.usage.output_tokens',
      'gen_ai.usage.completion_tokens',
    ],
    cacheReadTokens: [
      'ai.usage.inputTokenDetails.cacheReadTokens',
      'ai.usage.cachedInputTokens',
      'gen_ai.usage.cache_read.input_tokens',
    ],
    cacheWriteTokens: [
      'ai.usage.inputTokenDetails.cacheWriteTokens',
      'gen_ai.usage.cache_creation.input_tokens',
    ],
    cacheWrite1hTokens: [],
    reasoningTokens: [
      'ai.usage.outputTokenDetails.reasoningTokens',
      'ai.usage.reasoningTokens',
      'gen_ai.usage.reasoning.output_tokens',
    ],
  },
  adjustUsage(raw, attrs, notes) {
    const adjusted = { ...raw, ...providerMetadataUsage(attrs) }
    // `noCacheTokens` says outright how much input was uncached, so the total is unambiguous
    // even for v4's Anthropic provider, whose input count left the cache out.
    const noCache = readNumber(attrs, ['ai.usage.inputTokenDetails.noCacheTokens'])
    if (noCache !== undefined) {
      const total = noCache + (adjusted.cacheReadTokens ?? 0) + (adjusted.cacheWriteTokens ?? 0)
      if (adjusted.inputTokens !== undefined && adjusted.inputTokens !== total) {
        notes.push(
          `input ${adjusted.inputTokens} disagreed with noCacheTokens ${noCache} plus cache; total input ${total} used`,
        )
      }
      adjusted.inputTokens = total
    }
    return adjusted
  },
  inputExcludesCache: false,
  reportedCost: openRouterCost,
  taskName: ['ai.telemetry.functionId', 'resource.name'],
  toolName: ['ai.toolCall.name'],
  toolCallId: ['ai.toolCall.id'],
  finishReasons: ['gen_ai.response.finish_reasons', 'ai.response.finishReason'],
  conversationId: ['ai.telemetry.metadata.sessionId', 'ai.settings.context.sessionId'],
}
