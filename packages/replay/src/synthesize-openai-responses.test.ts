import type { ResponseFunctionToolCall } from 'openai/resources/responses/responses'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { createTestClients } from './testing'
import type { TestClients } from './testing'

let t: TestClients
beforeEach(async () => {
  t = await createTestClients()
})
afterEach(() => t.server.close())

// 29 + 28 = 57 characters: 15 input tokens.
const request = {
  model: 'gpt-4.1',
  instructions: 'You plan research in 3 steps.',
  input: 'Plan a report on heat pumps.',
}

const webSearch = {
  type: 'function' as const,
  name: 'web_search',
  strict: false,
  parameters: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] },
}

describe('synthesized responses', () => {
  it('should echo the model and count usage from the request and the text', async () => {
    const response = await t.openai.responses.create(request)
    const outputTokens = Math.ceil(response.output_text.length / 4)

    expect(response.model).toBe('gpt-4.1')
    expect(response.status).toBe('completed')
    expect(response.instructions).toBe(request.instructions)
    expect(response.output.map((item) => item.type)).toEqual(['message'])
    expect(response.usage).toEqual({
      input_tokens: 15,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: outputTokens,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 15 + outputTokens,
    })
  })

  it('should stream events that rebuild the same response', async () => {
    const plain = await t.openai.responses.create(request)
    const events: string[] = []
    const stream = t.openai.responses.stream(request)
    stream.on('event', (event) => events.push(event.type))
    const streamed = await stream.finalResponse()

    expect(streamed.output_text).toBe(plain.output_text)
    expect(streamed.usage).toEqual(plain.usage)
    expect(streamed.id).toBe(plain.id)
    expect(events.slice(0, 4)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
    ])
    expect(events.slice(-4)).toEqual([
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ])
    expect(events.filter((type) => type === 'response.output_text.delta').length).toBeGreaterThan(2)
  })

  it('should call an offered function, then answer once its output is sent', async () => {
    const first = await t.openai.responses.create({ ...request, tools: [webSearch] })
    const call = first.output.find(
      (item): item is ResponseFunctionToolCall => item.type === 'function_call',
    )

    const second = await t.openai.responses.create({
      ...request,
      tools: [webSearch],
      input: [
        { role: 'user', content: request.input },
        ...(call ? [call] : []),
        { type: 'function_call_output', call_id: call?.call_id ?? '', output: '3 results' },
      ],
    })

    expect(call).toMatchObject({
      type: 'function_call',
      name: 'web_search',
      arguments: '{"query":"Plan a report on heat pumps."}',
    })
    expect(second.output.map((item) => item.type)).toEqual(['message'])
    expect(second.output_text.length).toBeGreaterThan(20)
  })

  it('should stream a function call whose arguments the helper rebuilds', async () => {
    const plain = await t.openai.responses.create({ ...request, tools: [webSearch] })
    const streamed = await t.openai.responses
      .stream({ ...request, tools: [webSearch] })
      .finalResponse()

    expect(streamed.output).toMatchObject(plain.output)
    expect(streamed.usage).toEqual(plain.usage)
  })

  it('should add a reasoning item and reasoning tokens for gpt-5 models', async () => {
    const response = await t.openai.responses.create({ ...request, model: 'gpt-5-mini' })
    const usage = response.usage!
    const reasoning = usage.output_tokens_details.reasoning_tokens

    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message'])
    expect([64, 128, 192, 256]).toContain(reasoning)
    expect(usage.output_tokens).toBe(reasoning + Math.ceil(response.output_text.length / 4))
  })

  it('should end incomplete at max_output_tokens', async () => {
    const response = await t.openai.responses.create({ ...request, max_output_tokens: 3 })

    expect(response.status).toBe('incomplete')
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' })
    expect(response.output_text).toHaveLength(12)
    expect(response.usage?.output_tokens).toBe(3)
  })
})
