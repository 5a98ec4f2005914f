import { describe, expect, it } from 'vitest'
import {
  aggregate,
  ANTHROPIC_CACHE,
  billed,
  EMBEDDING,
  normalizeTestSpan,
  OPENAI_REASONING,
} from './test-scenarios'

describe('OpenInference convention', () => {
  it('should read reasoning and cache-read details of an LLM span', () => {
    const row = normalizeTestSpan({
      name: 'ChatCompletion',
      attributes: {
        'openinference.span.kind': 'LLM',
        'llm.provider': 'openai',
        'llm.model_name': 'o4-mini',
        'llm.token_count.prompt': 1000,
        'llm.token_count.prompt_details.cache_read': 400,
        'llm.token_count.completion': 800,
        'llm.token_count.completion_details.reasoning': 600,
        'llm.token_count.total': 1800,
        'session.id': 'conv-7',
      },
    })
    expect(row).toMatchObject({
      kind: 'llm',
      convention: 'openinference',
      conversationId: 'conv-7',
      ...billed(OPENAI_REASONING),
    })
  })

  it('should read cache writes and keep llm.cost.* beside the computed cost', () => {
    const row = normalizeTestSpan({
      name: 'Messages',
      attributes: {
        'openinference.span.kind': 'LLM',
        'llm.provider': 'anthropic',
        'llm.system': 'anthropic',
        'llm.model_name': 'claude-sonnet-4-20250514',
        'llm.token_count.prompt': 6000,
        'llm.token_count.prompt_details.cache_read': 2000,
        'llm.token_count.prompt_details.cache_write': 3000,
        'llm.token_count.completion': 500,
        'llm.token_count.completion_details.reasoning': 200,
        'llm.cost.prompt': 0.0148,
        'llm.cost.completion': 0.0075,
      },
    })
    expect(row).toMatchObject({
      ...billed(ANTHROPIC_CACHE),
      reportedCostUsd: '0.022300000000',
    })
    expect(row.cost.reason).toBe(
      'reported estimate 0.022300000000 USD (llm.cost.prompt + llm.cost.completion) differs from the computed cost; computed used',
    )
  })

  it('should bill an EMBEDDING span and map AGENT, CHAIN and TOOL spans', () => {
    const embedding = normalizeTestSpan({
      name: 'CreateEmbeddings',
      attributes: {
        'openinference.span.kind': 'EMBEDDING',
        'llm.provider': 'openai',
        'embedding.model_name': 'text-embedding-3-small',
        'llm.model_name': 'text-embedding-3-small',
        'llm.token_count.prompt': 5000,
      },
    })
    expect(embedding).toMatchObject({ kind: 'embedding', ...billed(EMBEDDING) })

    const agent = normalizeTestSpan({
      name: 'Agent workflow',
      attributes: {
        'openinference.span.kind': 'AGENT',
        'agent.name': 'researcher',
        'llm.token_count.prompt': 2500,
        'llm.token_count.completion': 300,
      },
    })
    expect(agent).toMatchObject({ kind: 'agent', taskName: 'researcher', ...aggregate(2500, 300) })

    const chain = normalizeTestSpan({
      name: 'research-pipeline',
      parentSpanId: '',
      attributes: { 'openinference.span.kind': 'CHAIN' },
    })
    expect(chain).toMatchObject({ kind: 'task', isTaskRoot: true, taskName: 'research-pipeline' })
    const nestedChain = normalizeTestSpan({
      name: 'RunnableSequence',
      attributes: { 'openinference.span.kind': 'CHAIN' },
    })
    expect(nestedChain).toMatchObject({ kind: 'other', isTaskRoot: false })

    const tool = normalizeTestSpan({
      name: 'search',
      attributes: { 'openinference.span.kind': 'TOOL', 'tool.name': 'web_search', 'tool.id': 't1' },
    })
    expect(tool).toMatchObject({ kind: 'tool', toolName: 'web_search', toolCallId: 't1' })
  })

  it('should not bill the task and turn spans of the OpenAI Agents bridge, nor drop content keys', () => {
    const turn = normalizeTestSpan({
      name: 'turn',
      attributes: {
        'openinference.span.kind': 'CHAIN',
        'llm.token_count.prompt': 4100,
        'llm.token_count.completion': 260,
        'llm.token_count.prompt_details.cache_read': 2048,
      },
    })
    expect(turn).toMatchObject({ kind: 'other', usage: null, cost: { priced: false } })
    expect(turn.usageExtra).toEqual({
      aggregate_input_tokens: 4100,
      aggregate_output_tokens: 260,
      aggregate_cache_read_tokens: 2048,
    })
    const retriever = normalizeTestSpan({
      name: 'retrieve',
      attributes: {
        'openinference.span.kind': 'RETRIEVER',
        'retrieval.documents.0.document.content': 'private text',
        'embedding.embeddings.0.embedding.text': 'private text',
      },
    })
    expect(retriever.attributes).toEqual({ 'openinference.span.kind': 'RETRIEVER' })
  })
})
