import { describe, expect, it } from 'vitest'
import { ANTHROPIC_SDK_SCOPE } from './anthropic-sdk'
import { ANTHROPIC_CACHE_1H, billed, normalizeTestSpan } from './test-scenarios'

const sdk = { scopeName: ANTHROPIC_SDK_SCOPE }

/** The attributes `@anthropic-ai/sdk` 1.16 sets on `anthropic.messages.create` for this call. */
const MESSAGES_CREATE = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'anthropic',
  'server.address': 'api.anthropic.com',
  'gen_ai.request.model': 'claude-sonnet-4-20250514',
  'gen_ai.request.max_tokens': 1024,
  'gen_ai.response.id': 'msg_01',
  'gen_ai.response.model': 'claude-sonnet-4-20250514',
  // input_tokens 1000 + cache_read 2000 + cache_creation 3000, summed by the client itself.
  'gen_ai.usage.input_tokens': 6000,
  'gen_ai.usage.cache_read.input_tokens': 2000,
  'gen_ai.usage.cache_write.input_tokens': 3000,
  'anthropic.usage.cache_creation.ephemeral_5m_input_tokens': 2000,
  'anthropic.usage.cache_creation.ephemeral_1h_input_tokens': 1000,
  'gen_ai.usage.output_tokens': 500,
  'gen_ai.usage.reasoning.output_tokens': 200,
  'anthropic.message.stop_reason': 'end_turn',
}

describe('Anthropic TypeScript SDK convention', () => {
  it('should bill messages.create with cache writes, 1-hour writes and thinking', () => {
    const row = normalizeTestSpan({
      ...sdk,
      name: 'anthropic.messages.create',
      attributes: MESSAGES_CREATE,
    })
    expect(row).toMatchObject({
      kind: 'llm',
      convention: 'anthropic-sdk',
      provider: 'anthropic',
      ...billed(ANTHROPIC_CACHE_1H),
    })
  })

  it('should bill compaction iterations on top, with a note', () => {
    const row = normalizeTestSpan({
      ...sdk,
      name: 'anthropic.messages.create',
      attributes: {
        ...MESSAGES_CREATE,
        'anthropic.usage.compaction.input_tokens': 1000,
        'anthropic.usage.compaction.output_tokens': 100,
      },
    })
    expect(row.usage).toMatchObject({ inputTokens: 7000, outputTokens: 600 })
    expect(row.usageNotes).toEqual([
      'compaction iterations (1000 in / 100 out) billed on top of the message usage',
    ])
    // 0.0246 + 1000 × $3/M + 100 × $15/M
    expect(row.cost.costUsd).toBe('0.029100000000')
  })

  it('should not bill count_tokens, the tool runner or its tool runs', () => {
    const count = normalizeTestSpan({
      ...sdk,
      name: 'anthropic.messages.count_tokens',
      attributes: {
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4-20250514',
        'anthropic.message.count_tokens.input_tokens': 1234,
      },
    })
    expect(count).toMatchObject({ kind: 'other', usage: null, cost: { priced: false } })
    const runner = normalizeTestSpan({
      ...sdk,
      name: 'anthropic.messages.tool_runner',
      parentSpanId: '',
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4-20250514',
      },
    })
    expect(runner).toMatchObject({
      kind: 'agent',
      isTaskRoot: true,
      taskName: 'anthropic.messages.tool_runner',
    })
    const tool = normalizeTestSpan({
      ...sdk,
      name: 'anthropic.custom_tool_use get_weather',
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'get_weather',
        'gen_ai.tool.call.id': 'toolu_01',
        'gen_ai.tool.type': 'function',
      },
    })
    expect(tool).toMatchObject({ kind: 'tool', toolName: 'get_weather', toolCallId: 'toolu_01' })
  })
})
