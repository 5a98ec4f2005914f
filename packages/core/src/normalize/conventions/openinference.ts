import type { SpanKind } from '../../span/row'
import { readNumber, readString } from '../attribute-reader'
import type { Convention } from './convention'
import { normalizeGenAiSystem } from './otel-genai'

/** `openinference.span.kind` values (upper case, compared exactly as the spec writes them). */
const SPAN_KINDS: Readonly<Record<string, SpanKind>> = {
  LLM: 'llm',
  EMBEDDING: 'embedding',
  TOOL: 'tool',
  AGENT: 'agent',
  CHAIN: 'task',
  RETRIEVER: 'other',
  RERANKER: 'other',
  GUARDRAIL: 'other',
  EVALUATOR: 'other',
  PROMPT: 'other',
}

/** `llm.provider` / `llm.system` values that differ from the OTel provider names. */
const PROVIDERS: Readonly<Record<string, string>> = {
  aws: 'aws.bedrock',
  azure: 'azure.ai.openai',
  google: 'gcp.gemini',
  vertexai: 'gcp.vertex_ai',
  mistralai: 'mistral_ai',
  xai: 'x_ai',
  moonshot: 'moonshot_ai',
}

/**
 * OpenInference (Arize Phoenix and its instrumentations, including the OpenAI Agents bridge):
 * `openinference.span.kind`, `llm.*` model and token names, and the optional `llm.cost.*`
 * figures, which are the instrumentation's estimate (kept beside the computed cost).
 */
export const openInference: Convention = {
  name: 'openinference',
  matches: (attrs) => readString(attrs, ['openinference.span.kind']) !== '',
  kind: (attrs) => SPAN_KINDS[readString(attrs, ['openinference.span.kind'])] ?? null,
  provider: ['llm.provider', 'llm.system'],
  normalizeProvider: (value) =>
    PROVIDERS[value.trim().toLowerCase()] ?? normalizeGenAiSystem(value),
  requestModel: ['llm.request.model_name', 'llm.model_name'],
  responseModel: ['llm.response.model_name', 'llm.model_name'],
  operation: ['openinference.span.kind'],
  usage: {
    inputTokens: ['llm.token_count.prompt'],
    outputTokens: ['llm.token_count.completion'],
    cacheReadTokens: ['llm.token_count.prompt_details.cache_read'],
    cacheWriteTokens: ['llm.token_count.prompt_details.cache_write'],
    cacheWrite1hTokens: [],
    reasoningTokens: ['llm.token_count.completion_details.reasoning'],
  },
  inputExcludesCache: false,
  reportedCost(attrs) {
    const total = readNumber(attrs, ['llm.cost.total'])
    if (total !== undefined && total >= 0) {
      return { usd: total, billed: false, source: 'llm.cost.total' }
    }
    const prompt = readNumber(attrs, ['llm.cost.prompt'])
    const completion = readNumber(attrs, ['llm.cost.completion'])
    if (prompt === undefined && completion === undefined) return null
    const usd = (prompt ?? 0) + (completion ?? 0)
    return usd >= 0 ? { usd, billed: false, source: 'llm.cost.prompt + llm.cost.completion' } : null
  },
  taskName: ['agent.name', 'graph.node.name'],
  toolName: ['tool.name'],
  toolCallId: ['tool.id', 'tool_call.id'],
  finishReasons: ['llm.finish_reason'],
  conversationId: ['session.id'],
}
