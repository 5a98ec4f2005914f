import { describe, expect, it } from 'vitest'
import {
  aggregate,
  ANTHROPIC_CACHE,
  billed,
  normalizeTestSpan,
  OPENAI_REASONING,
} from './test-scenarios'

const pydantic = { scopeName: 'pydantic-ai' }

describe('Pydantic AI convention', () => {
  it('should read gen_ai.usage.details reasoning and keep operation.cost as an estimate', () => {
    const row = normalizeTestSpan({
      ...pydantic,
      name: 'chat o4-mini',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'openai',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'o4-mini',
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.cache_read.input_tokens': 400,
        'gen_ai.usage.output_tokens': 800,
        'gen_ai.usage.details.reasoning_tokens': 600,
        'operation.cost': 0.00429,
      },
    })
    expect(row).toMatchObject({
      kind: 'llm',
      convention: 'pydantic-ai',
      reportedCostUsd: '0.004290000000',
      ...billed(OPENAI_REASONING),
    })
  })

  it('should read cache writes from gen_ai.usage.details', () => {
    const row = normalizeTestSpan({
      ...pydantic,
      name: 'chat claude-sonnet-4-20250514',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4-20250514',
        'gen_ai.usage.input_tokens': 6000,
        'gen_ai.usage.details.cache_read_tokens': 2000,
        'gen_ai.usage.details.cache_write_tokens': 3000,
        'gen_ai.usage.output_tokens': 500,
        'gen_ai.usage.details.reasoning_tokens': 200,
      },
    })
    expect(row).toMatchObject(billed(ANTHROPIC_CACHE))
  })

  it('should never bill agent runs: aggregated_usage (v5) or gen_ai.usage on "agent run" (v2)', () => {
    const current = normalizeTestSpan({
      ...pydantic,
      name: 'invoke_agent support',
      parentSpanId: '',
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'support',
        'gen_ai.aggregated_usage.input_tokens': 2200,
        'gen_ai.aggregated_usage.output_tokens': 400,
        'logfire.msg': 'support run',
      },
    })
    expect(current).toMatchObject({
      kind: 'agent',
      isTaskRoot: true,
      taskName: 'support',
      ...aggregate(2200, 400),
    })
    const v2 = normalizeTestSpan({
      ...pydantic,
      name: 'agent run',
      parentSpanId: '',
      attributes: {
        agent_name: 'support',
        model_name: 'gpt-4o',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 2200,
        'gen_ai.usage.output_tokens': 400,
      },
    })
    expect(v2).toMatchObject({ kind: 'agent', taskName: 'support', ...aggregate(2200, 400) })
  })

  it('should map tool spans of both formats', () => {
    const current = normalizeTestSpan({
      ...pydantic,
      name: 'execute_tool lookup',
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'lookup',
        'gen_ai.tool.call.id': 'c1',
      },
    })
    expect(current).toMatchObject({ kind: 'tool', toolName: 'lookup', toolCallId: 'c1' })
    const v2 = normalizeTestSpan({ ...pydantic, name: 'running tool', attributes: {} })
    expect(v2).toMatchObject({ kind: 'tool', usage: null })
  })
})
