import { describe, expect, it } from 'vitest'
import {
  aggregate,
  ANTHROPIC_CACHE,
  billed,
  EMBEDDING,
  normalizeTestSpan,
  OPENAI_REASONING,
} from './test-scenarios'

const openlit = { scopeName: 'openlit.otel.tracing' }

describe('OpenLIT convention', () => {
  it('should read reasoning tokens and keep gen_ai.usage.cost beside the computed cost', () => {
    const row = normalizeTestSpan({
      ...openlit,
      name: 'openai.chat.completions',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'o4-mini',
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.cache_read_input_tokens': 400,
        'gen_ai.usage.output_tokens': 800,
        'gen_ai.usage.reasoning_tokens': 600,
        'gen_ai.usage.total_tokens': 1800,
        'gen_ai.usage.cost': 0.0051,
      },
    })
    expect(row).toMatchObject({
      convention: 'openlit',
      reportedCostUsd: '0.005100000000',
      ...billed(OPENAI_REASONING),
    })
    expect(row.cost.reason).toBe(
      'reported estimate 0.005100000000 USD (gen_ai.usage.cost) differs from the computed cost; computed used',
    )
  })

  it('should read flat cache names, and use the reported cost for a model the catalog lacks', () => {
    const cached = normalizeTestSpan({
      resource: { 'telemetry.sdk.name': 'openlit' },
      name: 'anthropic.messages',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'anthropic',
        'gen_ai.request.model': 'claude-sonnet-4-20250514',
        'gen_ai.usage.input_tokens': 6000,
        'gen_ai.usage.cache_read_input_tokens': 2000,
        'gen_ai.usage.cache_creation_input_tokens': 3000,
        'gen_ai.usage.output_tokens': 500,
        'gen_ai.usage.reasoning_tokens': 200,
      },
    })
    expect(cached).toMatchObject({ convention: 'openlit', ...billed(ANTHROPIC_CACHE) })

    const unknown = normalizeTestSpan({
      ...openlit,
      name: 'ollama.chat',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'ollama',
        'gen_ai.request.model': 'acme-local-7b',
        'gen_ai.usage.input_tokens': 10,
        'gen_ai.usage.output_tokens': 10,
        'gen_ai.usage.cost': 0,
      },
    })
    expect(unknown.cost).toMatchObject({
      priced: true,
      costUsd: '0.000000000000',
      source: 'provider',
      reason:
        'collector could not price (model not in price catalog: acme-local-7b); using the cost reported in gen_ai.usage.cost',
    })
  })

  it('should bill embedding spans, map agents and tools', () => {
    const embed = normalizeTestSpan({
      ...openlit,
      name: 'openai.embeddings',
      attributes: {
        'gen_ai.operation.name': 'embedding',
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'text-embedding-3-small',
        'gen_ai.usage.input_tokens': 5000,
      },
    })
    expect(embed).toMatchObject({ kind: 'embedding', ...billed(EMBEDDING) })
    const agent = normalizeTestSpan({
      ...openlit,
      name: 'crewai.agent',
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.usage.input_tokens': 50,
        'gen_ai.usage.output_tokens': 5,
      },
    })
    expect(agent).toMatchObject({ kind: 'agent', ...aggregate(50, 5) })
    const tool = normalizeTestSpan({
      ...openlit,
      name: 'tool',
      attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'calc' },
    })
    expect(tool).toMatchObject({ kind: 'tool', toolName: 'calc' })
  })
})
