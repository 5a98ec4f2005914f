import { describe, expect, it } from 'vitest'
import {
  aggregate,
  ANTHROPIC_CACHE,
  billed,
  EMBEDDING,
  normalizeTestSpan,
  OPENAI_REASONING,
} from './test-scenarios'

describe('Langfuse convention', () => {
  it('should rebuild OTel totals from disjoint usage_details keys', () => {
    const row = normalizeTestSpan({
      name: 'anthropic-call',
      attributes: {
        'langfuse.observation.type': 'generation',
        'langfuse.observation.model.name': 'claude-sonnet-4-20250514',
        'gen_ai.provider.name': 'anthropic',
        'langfuse.observation.usage_details': JSON.stringify({
          input: 1000,
          input_cached_tokens: 2000,
          input_cache_creation: 3000,
          output: 300,
          output_reasoning_tokens: 200,
          total: 6500,
        }),
      },
    })
    expect(row).toMatchObject({ kind: 'llm', convention: 'langfuse', ...billed(ANTHROPIC_CACHE) })
  })

  it('should keep cost_details as an estimate beside the computed cost', () => {
    const row = normalizeTestSpan({
      name: 'reasoning-call',
      attributes: {
        'langfuse.observation.type': 'generation',
        'langfuse.observation.model.name': 'o4-mini',
        'langfuse.observation.usage_details': JSON.stringify({
          input: 600,
          input_cached_tokens: 400,
          output: 200,
          output_reasoning_tokens: 600,
        }),
        'langfuse.observation.cost_details': JSON.stringify({ input: 0.00077, output: 0.00352 }),
        'langfuse.session.id': 'sess-1',
      },
    })
    expect(row).toMatchObject({
      ...billed(OPENAI_REASONING),
      conversationId: 'sess-1',
      reportedCostUsd: '0.004290000000',
    })
    expect(row.cost.reason).toBe(
      'reported estimate 0.004290000000 USD (langfuse.observation.cost_details) matches the computed cost; computed used',
    )
  })

  it('should map embedding, agent, tool and span observations, naming the task from the trace', () => {
    const embed = normalizeTestSpan({
      name: 'embed',
      attributes: {
        'langfuse.observation.type': 'embedding',
        'langfuse.observation.model.name': 'text-embedding-3-small',
        'gen_ai.provider.name': 'openai',
        'langfuse.observation.usage_details': '{"input":5000}',
      },
    })
    expect(embed).toMatchObject({ kind: 'embedding', ...billed(EMBEDDING) })
    const agent = normalizeTestSpan({
      name: 'agent',
      attributes: {
        'langfuse.observation.type': 'agent',
        'langfuse.observation.usage_details': '{"input":1200,"output":80}',
      },
    })
    expect(agent).toMatchObject({ kind: 'agent', ...aggregate(1200, 80) })
    const tool = normalizeTestSpan({
      name: 'lookup',
      attributes: { 'langfuse.observation.type': 'tool' },
    })
    expect(tool).toMatchObject({ kind: 'tool', toolName: 'lookup' })
    const root = normalizeTestSpan({
      name: 'handle-request',
      parentSpanId: '',
      attributes: { 'langfuse.observation.type': 'span', 'langfuse.trace.name': 'support-chat' },
    })
    expect(root).toMatchObject({ kind: 'other', isTaskRoot: true, taskName: 'support-chat' })
  })
})
