import { describe, expect, it } from 'vitest'
import { aggregate, billed, EMBEDDING, normalizeTestSpan, OPENAI_REASONING } from './test-scenarios'

const kernel = { scopeName: 'Microsoft.SemanticKernel.Connectors.OpenAI' }

describe('Semantic Kernel convention', () => {
  it('should bill a chat.completions span with its GenAI usage', () => {
    const row = normalizeTestSpan({
      ...kernel,
      name: 'chat.completions o4-mini',
      attributes: {
        'gen_ai.operation.name': 'chat.completions',
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'o4-mini',
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.cache_read.input_tokens': 400,
        'gen_ai.usage.output_tokens': 800,
        'gen_ai.usage.reasoning.output_tokens': 600,
      },
    })
    expect(row).toMatchObject({
      kind: 'llm',
      convention: 'semantic-kernel',
      ...billed(OPENAI_REASONING),
    })
  })

  it('should bill embeddings and keep an agent invocation aggregate apart', () => {
    const embed = normalizeTestSpan({
      ...kernel,
      name: 'embeddings text-embedding-3-small',
      attributes: {
        'gen_ai.operation.name': 'embeddings',
        'gen_ai.system': 'openai',
        'gen_ai.request.model': 'text-embedding-3-small',
        'gen_ai.usage.input_tokens': 5000,
      },
    })
    expect(embed).toMatchObject({ kind: 'embedding', ...billed(EMBEDDING) })
    const agent = normalizeTestSpan({
      ...kernel,
      name: 'invoke_agent Concierge',
      attributes: {
        'gen_ai.operation.name': 'invoke_agent',
        'gen_ai.agent.name': 'Concierge',
        'gen_ai.usage.input_tokens': 700,
        'gen_ai.usage.output_tokens': 70,
      },
    })
    expect(agent).toMatchObject({ kind: 'agent', ...aggregate(700, 70) })
    const tool = normalizeTestSpan({
      ...kernel,
      name: 'execute_tool Weather-GetForecast',
      attributes: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'Weather-GetForecast',
        'gen_ai.tool.call.id': 'call_abc',
      },
    })
    expect(tool).toMatchObject({ kind: 'tool', toolName: 'Weather-GetForecast' })
  })
})
