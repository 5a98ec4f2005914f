import type { SpanKind } from '../../span/row'
import { readNumber } from '../attribute-reader'
import type { Attributes, OtlpSpan } from '../otlp-span'
import type { Convention } from './convention'
import { otelGenAi, otelGenAiKind } from './otel-genai'

/** The `@anthropic-ai/sdk` client's tracer (1.x, `client.openTelemetry`). */
export const ANTHROPIC_SDK_SCOPE = 'com.anthropic.sdk.typescript'

/** Call spans that call no model: `count_tokens` is free and names a model all the same. */
const UNBILLED_CALLS = /^anthropic\.(messages\.count_tokens|models\.|files\.|sessions\.)/

function kindOf(attrs: Attributes, span: OtlpSpan): SpanKind | null {
  if (UNBILLED_CALLS.test(span.name)) return 'other'
  return otelGenAiKind(attrs)
}

/**
 * Spans of the Anthropic TypeScript client itself: `anthropic.messages.create` (CLIENT, one per
 * call, retries included), `anthropic.messages.tool_runner` (`invoke_agent`) and its tool runs
 * (`execute_tool`). Its `gen_ai.usage.input_tokens` already adds cache reads and writes to
 * Anthropic's raw `input_tokens` (`lib/internal/tracing/response.js`), so input includes the
 * cache as in OTel; cache writes are `gen_ai.usage.cache_write.input_tokens`, with the 1-hour
 * part in `anthropic.usage.cache_creation.ephemeral_1h_input_tokens`. Compaction iterations,
 * which the message usage leaves out, are billed on top.
 */
export const anthropicSdk: Convention = {
  ...otelGenAi,
  name: 'anthropic-sdk',
  matches: (_attrs, span) =>
    span.scopeName === ANTHROPIC_SDK_SCOPE || span.scopeName.startsWith(`${ANTHROPIC_SDK_SCOPE}.`),
  kind: kindOf,
  usage: {
    ...otelGenAi.usage,
    cacheWriteTokens: [
      'gen_ai.usage.cache_write.input_tokens',
      'gen_ai.usage.cache_creation.input_tokens',
    ],
    cacheWrite1hTokens: ['anthropic.usage.cache_creation.ephemeral_1h_input_tokens'],
  },
  adjustUsage(raw, attrs, notes) {
    const compactionIn = readNumber(attrs, ['anthropic.usage.compaction.input_tokens'])
    const compactionOut = readNumber(attrs, ['anthropic.usage.compaction.output_tokens'])
    if (compactionIn === undefined && compactionOut === undefined) return raw
    notes.push(
      `compaction iterations (${compactionIn ?? 0} in / ${compactionOut ?? 0} out) billed on top of the message usage`,
    )
    return {
      ...raw,
      inputTokens: (raw.inputTokens ?? 0) + (compactionIn ?? 0),
      outputTokens: (raw.outputTokens ?? 0) + (compactionOut ?? 0),
    }
  },
}
