import { describe, expect, it } from 'vitest'
import {
  aggregate,
  ANTHROPIC_CACHE,
  billed,
  EMBEDDING,
  normalizeTestSpan,
  OPENAI_REASONING,
} from './test-scenarios'

describe('Traceloop / OpenLLMetry convention', () => {
  it('should read the 2024-2025 flat names: prompt_tokens, flat cache, llm.usage.reasoning_tokens', () => {
    const row = normalizeTestSpan({
      name: 'anthropic.chat',
      attributes: {
        'llm.request.type': 'chat',
        'gen_ai.system': 'Anthropic',
        'gen_ai.request.model': 'claude-sonnet-4-20250514',
        'gen_ai.usage.prompt_tokens': 6000,
        'gen_ai.usage.cache_read_input_tokens': 2000,
        'gen_ai.usage.cache_creation_input_tokens': 3000,
        'gen_ai.usage.completion_tokens': 500,
        'llm.usage.reasoning_tokens': 200,
        'llm.usage.total_tokens': 6500,
      },
    })
    expect(row).toMatchObject({
      kind: 'llm',
      convention: 'traceloop',
      provider: 'anthropic',
      ...billed(ANTHROPIC_CACHE),
    })
  })

  it('should read the 2026 dotted names and gen_ai.usage.reasoning_tokens', () => {
    const row = normalizeTestSpan({
      name: 'openai.chat',
      attributes: {
        'llm.request.type': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'o4-mini',
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.cache_read.input_tokens': 400,
        'gen_ai.usage.output_tokens': 800,
        'gen_ai.usage.reasoning_tokens': 600,
        'gen_ai.usage.total_tokens': 1800,
      },
    })
    expect(row).toMatchObject({ kind: 'llm', ...billed(OPENAI_REASONING) })
  })

  it('should bill embedding requests and name the task from the workflow', () => {
    const embed = normalizeTestSpan({
      name: 'openai.embeddings',
      attributes: {
        'llm.request.type': 'embedding',
        'gen_ai.system': 'OpenAI',
        'gen_ai.request.model': 'text-embedding-3-small',
        'gen_ai.usage.prompt_tokens': 5000,
        'traceloop.workflow.name': 'indexer',
      },
    })
    expect(embed).toMatchObject({ kind: 'embedding', taskName: 'indexer', ...billed(EMBEDDING) })

    const workflow = normalizeTestSpan({
      name: 'indexer.workflow',
      parentSpanId: '',
      attributes: {
        'traceloop.span.kind': 'workflow',
        'traceloop.workflow.name': 'indexer',
        'traceloop.entity.name': 'indexer',
      },
    })
    expect(workflow).toMatchObject({ kind: 'task', isTaskRoot: true, taskName: 'indexer' })
  })

  it('should map agent, nested task and tool decorator spans', () => {
    const agent = normalizeTestSpan({
      name: 'planner.agent',
      attributes: {
        'traceloop.span.kind': 'agent',
        'traceloop.entity.name': 'planner',
        'gen_ai.usage.input_tokens': 900,
        'gen_ai.usage.output_tokens': 100,
      },
    })
    expect(agent).toMatchObject({ kind: 'agent', ...aggregate(900, 100) })
    const task = normalizeTestSpan({
      name: 'fetch.task',
      attributes: { 'traceloop.span.kind': 'task', 'traceloop.entity.name': 'fetch' },
    })
    expect(task).toMatchObject({ kind: 'other', isTaskRoot: false })
    const tool = normalizeTestSpan({
      name: 'search.tool',
      attributes: { 'traceloop.span.kind': 'tool', 'traceloop.entity.name': 'search' },
    })
    expect(tool).toMatchObject({ kind: 'tool', toolName: 'search' })
  })
})
