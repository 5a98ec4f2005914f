import { describe, expect, it } from 'vitest'
import {
  aggregate,
  ANTHROPIC_CACHE_1H,
  billed,
  EMBEDDING,
  normalizeTestSpan,
  OPENAI_REASONING,
} from './test-scenarios'

const ai = { scopeName: 'ai' }

const ANTHROPIC_METADATA = JSON.stringify({
  anthropic: {
    usage: {
      input_tokens: 1000,
      cache_read_input_tokens: 2000,
      cache_creation_input_tokens: 3000,
      cache_creation: { ephemeral_5m_input_tokens: 2000, ephemeral_1h_input_tokens: 1000 },
      output_tokens: 500,
    },
    cacheCreationInputTokens: 3000,
  },
})

describe('Vercel AI SDK legacy ai.* convention', () => {
  it('should read late-v6 token details on a doGenerate step', () => {
    const row = normalizeTestSpan({
      ...ai,
      name: 'ai.generateText.doGenerate',
      attributes: {
        'ai.operationId': 'ai.generateText.doGenerate',
        'ai.model.provider': 'openai.responses',
        'ai.model.id': 'o4-mini',
        'ai.usage.inputTokens': 1000,
        'ai.usage.inputTokenDetails.noCacheTokens': 600,
        'ai.usage.inputTokenDetails.cacheReadTokens': 400,
        'ai.usage.outputTokens': 800,
        'ai.usage.outputTokenDetails.reasoningTokens': 600,
        'ai.usage.outputTokenDetails.textTokens': 200,
      },
    })
    expect(row).toMatchObject({
      kind: 'llm',
      convention: 'vercel-ai',
      provider: 'openai',
      ...billed(OPENAI_REASONING),
    })
  })

  it('should read v4 prompt tokens with OpenAI reasoning only in providerMetadata', () => {
    const row = normalizeTestSpan({
      ...ai,
      name: 'ai.streamText.doStream',
      attributes: {
        'operation.name': 'ai.streamText.doStream chat',
        'ai.model.provider': 'openai.chat',
        'ai.model.id': 'o4-mini',
        'ai.usage.promptTokens': 1000,
        'ai.usage.completionTokens': 800,
        'ai.response.providerMetadata': JSON.stringify({
          openai: { cachedPromptTokens: 400, reasoningTokens: 600 },
        }),
      },
    })
    expect(row).toMatchObject({ kind: 'llm', ...billed(OPENAI_REASONING) })
  })

  it('should take Anthropic cache reads, writes and 1-hour writes from providerMetadata', () => {
    const row = normalizeTestSpan({
      ...ai,
      name: 'ai.generateText.doGenerate',
      attributes: {
        'ai.operationId': 'ai.generateText.doGenerate',
        'ai.model.provider': 'anthropic.messages',
        'ai.model.id': 'claude-sonnet-4-20250514',
        // v4's Anthropic provider left the cache out of the prompt count.
        'ai.usage.promptTokens': 1000,
        'ai.usage.completionTokens': 500,
        'ai.usage.reasoningTokens': 200,
        'ai.response.providerMetadata': ANTHROPIC_METADATA,
      },
    })
    expect(row).toMatchObject({ provider: 'anthropic', ...billed(ANTHROPIC_CACHE_1H) })
  })

  it('should bill doEmbed with ai.usage.tokens and never the ai.embed operation', () => {
    const step = normalizeTestSpan({
      ...ai,
      name: 'ai.embed.doEmbed',
      attributes: {
        'ai.operationId': 'ai.embed.doEmbed',
        'ai.model.provider': 'openai.embedding',
        'ai.model.id': 'text-embedding-3-small',
        'ai.usage.tokens': 5000,
      },
    })
    expect(step).toMatchObject({ kind: 'embedding', ...billed(EMBEDDING) })
    const operation = normalizeTestSpan({
      ...ai,
      name: 'ai.embed',
      attributes: { 'ai.operationId': 'ai.embed', 'ai.usage.tokens': 5000 },
    })
    expect(operation).toMatchObject({ kind: 'other', usage: null, cost: { priced: false } })
  })

  it('should make an outer generateText root the task named by its functionId, unbilled', () => {
    const row = normalizeTestSpan({
      ...ai,
      name: 'ai.generateText',
      parentSpanId: '',
      attributes: {
        'ai.operationId': 'ai.generateText',
        'ai.telemetry.functionId': 'ticket-summary',
        'ai.model.id': 'gpt-4o',
        'ai.usage.inputTokens': 182,
        'ai.usage.outputTokens': 72,
      },
    })
    expect(row).toMatchObject({
      kind: 'task',
      isTaskRoot: true,
      taskName: 'ticket-summary',
      ...aggregate(182, 72),
    })
  })

  it('should map ai.toolCall to a tool with its name and id', () => {
    const row = normalizeTestSpan({
      ...ai,
      name: 'ai.toolCall',
      attributes: {
        'ai.operationId': 'ai.toolCall',
        'ai.toolCall.name': 'get_weather',
        'ai.toolCall.id': 'call_9',
      },
    })
    expect(row).toMatchObject({ kind: 'tool', toolName: 'get_weather', toolCallId: 'call_9' })
  })

  it("should use OpenRouter's billed cost from providerMetadata", () => {
    const row = normalizeTestSpan({
      ...ai,
      name: 'ai.generateText.doGenerate',
      attributes: {
        'ai.operationId': 'ai.generateText.doGenerate',
        'ai.model.provider': 'openrouter.chat',
        'ai.model.id': 'openai/gpt-4o',
        'ai.usage.inputTokens': 1000,
        'ai.usage.outputTokens': 500,
        'ai.response.providerMetadata': JSON.stringify({
          openrouter: { usage: { cost: 0.0081, promptTokens: 1000, completionTokens: 500 } },
        }),
      },
    })
    expect(row.reportedCostUsd).toBe('0.008100000000')
    expect(row.cost).toMatchObject({
      priced: true,
      costUsd: '0.008100000000',
      source: 'provider',
      reason:
        'billed cost reported by the provider (ai.response.providerMetadata openrouter.usage.cost); catalog price was 0.007500000000 USD',
    })
  })
})

describe('Vercel AI SDK v7 GenAI convention', () => {
  it('should bill chat spans and keep the invoke_agent root aggregate apart', () => {
    const chat = normalizeTestSpan({
      ...ai,
      name: 'chat claude-sonnet-4-20250514',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4-20250514',
        'gen_ai.usage.input_tokens': 6000,
        'gen_ai.usage.cache_read.input_tokens': 2000,
        'gen_ai.usage.cache_creation.input_tokens': 3000,
        'gen_ai.usage.output_tokens': 500,
        'ai.usage.outputTokenDetails.reasoningTokens': 200,
        'ai.response.providerMetadata': ANTHROPIC_METADATA,
      },
    })
    expect(chat).toMatchObject({
      kind: 'llm',
      convention: 'vercel-ai-genai',
      ...billed(ANTHROPIC_CACHE_1H),
    })

    const root = normalizeTestSpan({
      ...ai,
      name: 'invoke_agent claude-sonnet-4-20250514',
      parentSpanId: '',
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'support-agent',
        'gen_ai.request.model': 'claude-sonnet-4-20250514',
        'gen_ai.usage.input_tokens': 6000,
        'gen_ai.usage.output_tokens': 500,
        'ai.usage.outputTokenDetails.reasoningTokens': 200,
      },
    })
    expect(root).toMatchObject({
      kind: 'agent',
      isTaskRoot: true,
      taskName: 'support-agent',
      usage: null,
      usageExtra: {
        aggregate_input_tokens: 6000,
        aggregate_output_tokens: 500,
        aggregate_reasoning_tokens: 200,
      },
    })

    const step = normalizeTestSpan({
      ...ai,
      name: 'step 1',
      attributes: { 'gen_ai.request.model': 'x' },
    })
    expect(step.kind).toBe('other')
    const tool = normalizeTestSpan({
      ...ai,
      name: 'execute_tool search',
      attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search' },
    })
    expect(tool).toMatchObject({ kind: 'tool', toolName: 'search' })
    const embed = normalizeTestSpan({
      ...ai,
      name: 'embeddings text-embedding-3-small',
      attributes: {
        'gen_ai.operation.name': 'embeddings',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'text-embedding-3-small',
        'gen_ai.usage.input_tokens': 5000,
      },
    })
    expect(embed).toMatchObject({ kind: 'embedding', ...billed(EMBEDDING) })
  })
})
