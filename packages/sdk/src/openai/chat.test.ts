import OpenAI from 'openai'
import { describe, expect, it } from 'vitest'
import { readRecording } from '../test-support/recordings'
import { setupOpenAITest } from '../test-support/openai-test-context'
import { usageAttributes, withoutCost } from '../test-support/spans'

const { tracing, client, provider, requestAttributes, onlySpan } = setupOpenAITest()

const messages = [{ role: 'user' as const, content: 'What is the weather?' }]

describe('chat.completions.create without streaming', () => {
  it('should record the exact usage and cost of openai-chat-basic.json', async () => {
    provider().serve('openai-chat-basic.json')
    const completion = await client().chat.completions.create({ model: 'gpt-4o-mini', messages })

    expect(completion.usage?.total_tokens).toBe(25)
    const span = onlySpan()
    expect(span.name).toBe('chat gpt-4o-mini')
    expect(span.kind).toBe(2)
    expect(span.status).toEqual({ code: 0 })
    expect(withoutCost(span)).toEqual({
      ...requestAttributes('gpt-4o-mini', false),
      'agentmeter.call.end_reason': 'completed',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.id': 'chatcmpl-Bs24CNH3ITxv65qJpGjVXijYv6qX2',
      'gen_ai.response.finish_reasons': ['stop'],
      ...usageAttributes({ input: 22, output: 3 }),
    })
    // gpt-4o-mini: $0.15 / $0.60 per million input / output tokens.
    expect(span.attributes['agentmeter.cost.usd']).toBeCloseTo(22 * 0.15e-6 + 3 * 0.6e-6, 9)
  })

  it('should list both parallel tool calls with ids and names but no arguments', async () => {
    provider().serve('openai-chat-tool-calls-parallel.json')
    await client().chat.completions.create({ model: 'gpt-4o-mini', messages })

    const span = onlySpan()
    expect(withoutCost(span)).toEqual({
      ...requestAttributes('gpt-4o-mini', false),
      'agentmeter.call.end_reason': 'completed',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.id': 'chatcmpl-BuC0QNgPhzfHw7tSwGnvSOIL636JK',
      'gen_ai.response.finish_reasons': ['tool_calls'],
      'gen_ai.response.tool_calls': JSON.stringify([
        { id: 'call_PXP2udMH0QECumyxuh4lpn3y', name: 'get_weather' },
        { id: 'call_TKk9c7b7gvDqCQzv80Loc7fT', name: 'get_weather' },
      ]),
      ...usageAttributes({ input: 57, output: 46 }),
    })
  })

  it('should record the legacy function_call by name', async () => {
    provider().serve('openai-chat-legacy-function-call.json')
    await client().chat.completions.create({ model: 'gpt-4-0613', messages })

    const span = onlySpan()
    expect(span.attributes['gen_ai.response.tool_calls']).toBe(
      JSON.stringify([{ id: '', name: 'get_current_weather' }]),
    )
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['function_call'])
    expect(withoutCost(span)).toMatchObject(usageAttributes({ input: 82, output: 16 }))
    // gpt-4: $30 / $60 per million.
    expect(span.attributes['agentmeter.cost.usd']).toBeCloseTo(82 * 30e-6 + 16 * 60e-6, 9)
  })

  it('should bill xAI reasoning that sits outside completion_tokens, with a usage note', async () => {
    provider().serve('xai-chat-tool-call-cached-reasoning.json')
    await client().chat.completions.create({ model: 'grok-3-mini', messages })

    const span = onlySpan()
    expect(withoutCost(span)).toEqual({
      ...requestAttributes('grok-3-mini', false),
      'agentmeter.call.end_reason': 'completed',
      'gen_ai.response.model': 'grok-3-mini',
      'gen_ai.response.id': 'acfa24c3-b556-0f2c-731e-64fb836d544b',
      'gen_ai.response.finish_reasons': ['tool_calls'],
      'gen_ai.response.tool_calls': JSON.stringify([{ id: 'call_46427107', name: 'weather' }]),
      'agentmeter.usage.notes': [
        'total_tokens (588) = input + output + reasoning: reasoning read as outside the output, total output 281',
      ],
      ...usageAttributes({ input: 307, cacheRead: 244, output: 281, reasoning: 255 }),
    })
    // grok-3-mini: $0.30 input, $0.075 cached, $0.50 output; xAI billed 1,777,000 ticks of 1e-10.
    expect(span.attributes['agentmeter.cost.usd']).toBeCloseTo(0.0001777, 9)
  })

  it('should end with an error status when the provider answers 500', async () => {
    provider().serveText(
      'json',
      JSON.stringify({ error: { message: 'boom', type: 'server_error' } }),
      {
        status: 500,
      },
    )
    await expect(
      client().chat.completions.create({ model: 'gpt-4o-mini', messages }),
    ).rejects.toThrow('boom')

    const span = onlySpan()
    expect(span.status.code).toBe(2)
    expect(span.attributes['agentmeter.call.end_reason']).toBe('error')
    expect(span.attributes['error.type']).toBe('InternalServerError')
    expect(span.attributes['agentmeter.usage.known']).toBe(false)
    expect(span.attributes['gen_ai.usage.input_tokens']).toBeUndefined()
  })

  it('should keep withResponse() and asResponse() of the returned promise working', async () => {
    provider().serve('openai-chat-basic.json')
    const { data, response } = await client()
      .chat.completions.create({ model: 'gpt-4o-mini', messages })
      .withResponse()
    expect(response.status).toBe(200)
    expect(data.usage?.prompt_tokens).toBe(22)
    expect(onlySpan().attributes['gen_ai.usage.input_tokens']).toBe(22)
  })
})

describe('chat.completions.parse', () => {
  it('should return the parsed object and record the body usage', async () => {
    const body = readRecording('openai-chat-basic.json')
    const choices = body['choices'] as Array<{ message: Record<string, unknown> }>
    choices[0]!.message['content'] = '{"answer":4}'
    provider().serveText('json', JSON.stringify(body))

    const completion = await client().chat.completions.parse({
      model: 'gpt-4o-mini',
      messages,
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'answer',
          strict: true,
          schema: {
            type: 'object',
            properties: { answer: { type: 'number' } },
            required: ['answer'],
            additionalProperties: false,
          },
        },
      },
    })

    expect(completion.choices[0]?.message.parsed).toEqual({ answer: 4 })
    const span = onlySpan()
    expect(withoutCost(span)).toMatchObject(usageAttributes({ input: 22, output: 3 }))
    expect(provider().requests.at(-1)?.headers['x-stainless-helper-method']).toBe(
      'chat.completions.parse',
    )
  })
})

describe('one span per call', () => {
  it('should not add a second span when instrumentOpenAI() wraps a patched client', async () => {
    const { instrumentOpenAI } = await import('./instrument')
    const wrapped = instrumentOpenAI(
      new OpenAI({ apiKey: 'k', baseURL: `${provider().url}/v1`, maxRetries: 0 }),
    )
    expect(Object.hasOwn(wrapped.chat.completions, 'create')).toBe(false)
    provider().serve('openai-chat-basic.json')
    await wrapped.chat.completions.create({ model: 'gpt-4o-mini', messages })
    expect(onlySpan().attributes['gen_ai.usage.input_tokens']).toBe(22)
  })

  it('should trace an instance-wrapped client once when the prototype is patched later', async () => {
    const { instrumentOpenAI, patchOpenAIModule, unpatchOpenAIModules } =
      await import('./instrument')
    unpatchOpenAIModules()
    try {
      const wrapped = instrumentOpenAI(
        new OpenAI({ apiKey: 'k', baseURL: `${provider().url}/v1`, maxRetries: 0 }),
      )
      expect(Object.hasOwn(wrapped.chat.completions, 'create')).toBe(true)
      provider().serve('openai-chat-basic.json')
      await wrapped.chat.completions.create({ model: 'gpt-4o-mini', messages })
      expect(tracing.spans()).toHaveLength(1)

      expect(patchOpenAIModule(await import('openai'))).toBe(2)
      provider().serve('openai-chat-basic.json')
      await wrapped.chat.completions.create({ model: 'gpt-4o-mini', messages })
      expect(tracing.spans()).toHaveLength(2)
    } finally {
      unpatchOpenAIModules()
      patchOpenAIModule(await import('openai'))
    }
  })

  it('should count a run of one call once: 22/3, not 44/6', async () => {
    const { task } = await import('../task')
    provider().serve('openai-chat-basic.json')
    await task('single-call', () =>
      client().chat.completions.create({ model: 'gpt-4o-mini', messages }),
    )

    const spans = tracing.spans()
    expect(spans.map((span) => span.attributes['agentmeter.span.kind'])).toEqual(['llm', 'task'])
    const usage = spans.map((span) => span.attributes['gen_ai.usage.input_tokens'] ?? 0)
    expect(usage).toEqual([22, 0])
  })
})
