import { describe, expect, it } from 'vitest'
import {
  aggregate,
  ANTHROPIC_CACHE_1H,
  billed,
  EMBEDDING,
  normalizeTestSpan,
  OPENAI_REASONING,
} from './test-scenarios'

describe('OTel GenAI convention', () => {
  it('should read the dotted reasoning and cache-read names of an OpenAI call', () => {
    const row = normalizeTestSpan({
      name: 'chat o4-mini',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'o4-mini',
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.cache_read.input_tokens': 400,
        'gen_ai.usage.output_tokens': 800,
        'gen_ai.usage.reasoning.output_tokens': 600,
      },
    })
    expect(row).toMatchObject({
      kind: 'llm',
      convention: 'otel-genai',
      ...billed(OPENAI_REASONING),
    })
  })

  it('should read cache writes (and the cache_write alias) with the 1-hour part', () => {
    const row = normalizeTestSpan({
      name: 'chat claude-sonnet-4-20250514',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4-20250514',
        'gen_ai.usage.input_tokens': 6000,
        'gen_ai.usage.cache_read.input_tokens': 2000,
        'gen_ai.usage.cache_write.input_tokens': 3000,
        'agentmeter.usage.cache_write_1h_tokens': 1000,
        'gen_ai.usage.output_tokens': 500,
        'gen_ai.usage.reasoning.output_tokens': 200,
      },
    })
    expect(row).toMatchObject({ kind: 'llm', ...billed(ANTHROPIC_CACHE_1H) })
  })

  it('should read the deprecated names and gen_ai.system values', () => {
    const row = normalizeTestSpan({
      name: 'chat gpt-4o',
      attributes: {
        'gen_ai.system': 'OpenAI',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.prompt_tokens': 1000,
        'gen_ai.usage.completion_tokens': 500,
      },
    })
    // 1000 × $2.50/M + 500 × $10/M
    expect(row).toMatchObject({ kind: 'llm', provider: 'openai' })
    expect(row.cost.costUsd).toBe('0.007500000000')
  })

  it('should bill an embeddings span', () => {
    const row = normalizeTestSpan({
      name: 'embeddings text-embedding-3-small',
      attributes: {
        'gen_ai.operation.name': 'embeddings',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'text-embedding-3-small',
        'gen_ai.usage.input_tokens': 5000,
      },
    })
    expect(row).toMatchObject({ kind: 'embedding', ...billed(EMBEDDING) })
  })

  it('should never bill an invoke_agent root that repeats its calls, and name the task', () => {
    const row = normalizeTestSpan({
      name: 'invoke_agent triage',
      parentSpanId: '',
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'triage',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 3000,
        'gen_ai.usage.output_tokens': 900,
      },
    })
    expect(row).toMatchObject({
      kind: 'agent',
      isTaskRoot: true,
      taskName: 'triage',
      ...aggregate(3000, 900),
    })
  })

  it('should make an invoke_workflow root the task and an execute_tool span a tool', () => {
    const root = normalizeTestSpan({
      name: 'invoke_workflow nightly',
      parentSpanId: '',
      attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'gen_ai.workflow.name': 'nightly' },
    })
    expect(root).toMatchObject({ kind: 'task', isTaskRoot: true, taskName: 'nightly' })
    const tool = normalizeTestSpan({
      name: 'execute_tool lookup',
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'lookup',
        'gen_ai.tool.call.id': 'call_1',
      },
    })
    expect(tool).toMatchObject({
      kind: 'tool',
      toolName: 'lookup',
      toolCallId: 'call_1',
      isTaskRoot: false,
      usage: null,
    })
  })
})

describe('OTel GenAI kinds of framework spans', () => {
  it('should not bill a span that names its own operation and a model', () => {
    const workflow = normalizeTestSpan({
      name: 'crewai.workflow',
      attributes: {
        'gen_ai.operation.name': 'workflow',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 900,
        'gen_ai.usage.output_tokens': 90,
      },
    })
    expect(workflow).toMatchObject({ kind: 'other', usage: null, cost: { priced: false } })
    expect(workflow.usageExtra).toEqual({
      aggregate_input_tokens: 900,
      aggregate_output_tokens: 90,
    })
  })
})
