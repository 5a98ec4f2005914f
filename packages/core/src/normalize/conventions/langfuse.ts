import type { SpanKind } from '../../span/row'
import type { RawUsage } from '../../usage/sanitize'
import { readString } from '../attribute-reader'
import type { Attributes } from '../otlp-span'
import type { Convention, ReportedCost } from './convention'
import { numberAt, readJsonObject } from './json-values'
import { otelGenAi, otelGenAiKind } from './otel-genai'

/** `langfuse.observation.type` values. */
const OBSERVATION_TYPES: Readonly<Record<string, SpanKind>> = {
  generation: 'llm',
  embedding: 'embedding',
  agent: 'agent',
  tool: 'tool',
  chain: 'task',
  span: 'other',
  event: 'other',
  retriever: 'other',
  guardrail: 'other',
  evaluator: 'other',
}

function kindOf(attrs: Attributes): SpanKind | null {
  return OBSERVATION_TYPES[readString(attrs, ['langfuse.observation.type'])] ?? otelGenAiKind(attrs)
}

/**
 * `langfuse.observation.usage_details`: Langfuse prices each key at its own rate, so its keys
 * are disjoint (`input` is the uncached part, `output` leaves reasoning out). Rebuilt here into
 * the OTel totals.
 */
function usageDetails(attrs: Attributes): RawUsage {
  const details = readJsonObject(attrs, 'langfuse.observation.usage_details')
  if (!details) return {}
  const first = (...keys: string[]) => {
    for (const key of keys) {
      const value = numberAt(details, [key])
      if (value !== undefined) return value
    }
    return undefined
  }
  const input = first('input', 'prompt_tokens', 'input_tokens')
  const output = first('output', 'completion_tokens', 'output_tokens')
  const cacheRead = first('input_cached_tokens', 'cache_read_input_tokens')
  const cacheWrite = first('input_cache_creation', 'cache_creation_input_tokens')
  const reasoning = first('output_reasoning_tokens', 'reasoning_tokens')
  const out: RawUsage = {}
  if (input !== undefined || cacheRead !== undefined || cacheWrite !== undefined) {
    out.inputTokens = (input ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0)
  }
  if (output !== undefined || reasoning !== undefined) {
    out.outputTokens = (output ?? 0) + (reasoning ?? 0)
  }
  if (cacheRead !== undefined) out.cacheReadTokens = cacheRead
  if (cacheWrite !== undefined) out.cacheWriteTokens = cacheWrite
  if (reasoning !== undefined) out.reasoningTokens = reasoning
  return out
}

/** `langfuse.observation.cost_details` (USD per usage key): its `total`, or the sum of keys. */
function costDetails(attrs: Attributes): ReportedCost | null {
  const details = readJsonObject(attrs, 'langfuse.observation.cost_details')
  if (!details) return null
  const total = numberAt(details, ['total'])
  const source = 'langfuse.observation.cost_details'
  if (total !== undefined) return total >= 0 ? { usd: total, billed: false, source } : null
  let sum = 0
  let found = false
  for (const key of Object.keys(details)) {
    const value = numberAt(details, [key])
    if (value === undefined || value < 0) continue
    sum += value
    found = true
  }
  return found ? { usd: sum, billed: false, source } : null
}

/**
 * Langfuse's own attributes (its SDKs' `langfuse.*`): the observation type, model, the
 * `usage_details` / `cost_details` JSON objects, trace name and session. The OTel GenAI names
 * the same spans often carry are read as a fallback.
 */
export const langfuse: Convention = {
  ...otelGenAi,
  name: 'langfuse',
  matches: (attrs) => Object.keys(attrs).some((key) => key.startsWith('langfuse.')),
  kind: kindOf,
  requestModel: ['langfuse.observation.model.name', 'gen_ai.request.model'],
  responseModel: ['gen_ai.response.model', 'langfuse.observation.model.name'],
  operation: ['langfuse.observation.type', 'gen_ai.operation.name'],
  adjustUsage: (raw, attrs) => {
    const details = usageDetails(attrs)
    return Object.keys(details).length > 0 ? details : raw
  },
  reportedCost: costDetails,
  taskName: ['langfuse.trace.name', 'gen_ai.agent.name'],
  conversationId: ['langfuse.session.id', 'session.id', 'gen_ai.conversation.id'],
}
