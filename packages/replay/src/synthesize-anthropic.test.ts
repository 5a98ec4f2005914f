import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { createTestClients } from './testing'
import type { TestClients } from './testing'

let t: TestClients
beforeEach(async () => {
  t = await createTestClients()
})
afterEach(() => t.server.close())

// 24 + 27 = 51 characters: 13 input tokens.
const request = {
  model: 'claude-sonnet-4-5',
  max_tokens: 512,
  system: 'You are a support agent.',
  messages: [{ role: 'user' as const, content: 'Where is my order ORD-1001?' }],
}

const lookupOrder = {
  name: 'lookup_order',
  input_schema: {
    type: 'object' as const,
    properties: { order_id: { type: 'string' } },
    required: ['order_id'],
  },
}

// 4,000 characters: 1,000 tokens.
const policy = 'Policy. '.repeat(500)

function cachedSystem(ttl?: '1h') {
  const cacheControl = ttl ? { type: 'ephemeral' as const, ttl } : { type: 'ephemeral' as const }
  return [{ type: 'text' as const, text: policy, cache_control: cacheControl }]
}

describe('synthesized messages', () => {
  it('should echo the model and count usage from the request and the text', async () => {
    const message = await t.anthropic.messages.create(request)
    const text = message.content[0]?.type === 'text' ? message.content[0].text : ''

    expect(message.model).toBe('claude-sonnet-4-5')
    expect(message.stop_reason).toBe('end_turn')
    expect(message.usage).toEqual({
      input_tokens: 13,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
      output_tokens: Math.ceil(text.length / 4),
      service_tier: 'standard',
    })
  })

  it('should write a cache_control system prompt on first sight and read it after', async () => {
    const first = await t.anthropic.messages.create({ ...request, system: cachedSystem() })
    const second = await t.anthropic.messages.create({
      ...request,
      system: cachedSystem(),
      messages: [{ role: 'user', content: 'Can I change the address?' }],
    })

    expect(first.usage).toMatchObject({
      input_tokens: 7,
      cache_creation_input_tokens: 1000,
      cache_read_input_tokens: 0,
      cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 0 },
    })
    expect(second.usage).toMatchObject({
      input_tokens: 7,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 1000,
    })
  })

  it('should report writes with a 1h TTL as ephemeral_1h', async () => {
    const message = await t.anthropic.messages.create({ ...request, system: cachedSystem('1h') })

    expect(message.usage.cache_creation).toEqual({
      ephemeral_5m_input_tokens: 0,
      ephemeral_1h_input_tokens: 1000,
    })
  })

  it('should not cache a system prompt without cache_control', async () => {
    await t.anthropic.messages.create({ ...request, system: policy })
    const again = await t.anthropic.messages.create({ ...request, system: policy })

    expect(again.usage).toMatchObject({
      input_tokens: 1007,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    })
  })

  it('should stream usage in message_start and message_delta, for the same message', async () => {
    const plain = await t.anthropic.messages.create(request)
    const stream = await t.anthropic.messages.create({ ...request, stream: true })
    const events = []
    for await (const event of stream) events.push(event)
    const streamed = await t.anthropic.messages.stream(request).finalMessage()

    const start = events[0]
    const delta = events.find((event) => event.type === 'message_delta')
    expect(start?.type === 'message_start' && start.message.usage).toMatchObject({
      input_tokens: 13,
      output_tokens: 1,
    })
    expect(delta?.type === 'message_delta' && delta.usage).toMatchObject({
      input_tokens: 13,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
      output_tokens: plain.usage.output_tokens,
    })
    expect(events.at(-1)?.type).toBe('message_stop')
    expect(streamed.content).toEqual(plain.content)
    expect(streamed.usage).toMatchObject({
      input_tokens: 13,
      output_tokens: plain.usage.output_tokens,
    })
  })

  it('should say a few words and call a tool, then answer once the result is sent', async () => {
    const first = await t.anthropic.messages.create({ ...request, tools: [lookupOrder] })
    const toolUse = first.content.find((block) => block.type === 'tool_use')

    const second = await t.anthropic.messages.create({
      ...request,
      tools: [lookupOrder],
      messages: [
        ...request.messages,
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: toolUse?.id ?? '', content: 'shipped' }],
        },
      ],
    })

    expect(first.stop_reason).toBe('tool_use')
    expect(first.content.map((block) => block.type)).toEqual(['text', 'tool_use'])
    expect(toolUse).toMatchObject({ name: 'lookup_order', input: { order_id: 'ORD-1001' } })
    expect(second.stop_reason).toBe('end_turn')
    expect(second.content.map((block) => block.type)).toEqual(['text'])
  })

  it('should stream a tool_use block that the stream helper rebuilds', async () => {
    const plain = await t.anthropic.messages.create({ ...request, tools: [lookupOrder] })
    const streamed = await t.anthropic.messages
      .stream({ ...request, tools: [lookupOrder] })
      .finalMessage()

    expect(streamed.content).toEqual(plain.content)
    expect(streamed.stop_reason).toBe('tool_use')
  })

  it('should stop at max_tokens', async () => {
    const message = await t.anthropic.messages.create({
      ...request,
      max_tokens: 4,
      messages: [{ role: 'user', content: 'Write a long report on shipping delays.' }],
    })

    expect(message.stop_reason).toBe('max_tokens')
    expect(message.usage.output_tokens).toBe(4)
  })
})
