import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { createTestClients } from './testing'
import type { TestClients } from './testing'

let t: TestClients
beforeEach(async () => {
  t = await createTestClients()
})
afterEach(() => t.server.close())

// 24 + 27 = 51 characters: 13 input tokens.
const messages = [
  { role: 'system' as const, content: 'You are a support agent.' },
  { role: 'user' as const, content: 'Where is my order ORD-1001?' },
]

const lookupOrder = {
  type: 'function' as const,
  function: {
    name: 'lookup_order',
    description: 'Find an order',
    parameters: {
      type: 'object',
      properties: { order_id: { type: 'string' } },
      required: ['order_id'],
    },
  },
}

describe('synthesized chat completions', () => {
  it('should echo the model and count usage from the request and the text', async () => {
    const completion = await t.openai.chat.completions.create({ model: 'gpt-4o', messages })
    const content = completion.choices[0]?.message.content ?? ''
    const completionTokens = Math.ceil(content.length / 4)

    expect(completion.model).toBe('gpt-4o')
    expect(completion.choices[0]?.finish_reason).toBe('stop')
    expect(content.length).toBeGreaterThan(20)
    expect(completion.usage).toEqual({
      prompt_tokens: 13,
      completion_tokens: completionTokens,
      total_tokens: 13 + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    })
  })

  it('should give the same response to the same request', async () => {
    const first = await t.openai.chat.completions.create({ model: 'gpt-4o-mini', messages })
    const second = await t.openai.chat.completions.create({ model: 'gpt-4o-mini', messages })
    const other = await t.openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Summarize the refund policy.' }],
    })

    expect(second).toEqual(first)
    expect(other.choices[0]?.message.content).not.toBe(first.choices[0]?.message.content)
  })

  it('should call the first offered tool, with arguments from the user message', async () => {
    const completion = await t.openai.chat.completions.create({
      model: 'gpt-4.1',
      messages,
      tools: [lookupOrder],
    })
    const choice = completion.choices[0]

    expect(choice?.finish_reason).toBe('tool_calls')
    expect(choice?.message.content).toBeNull()
    expect(choice?.message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_replay[0-9a-f]{16}$/),
        type: 'function',
        function: { name: 'lookup_order', arguments: '{"order_id":"ORD-1001"}' },
      },
    ])
    // 51 characters of messages and 185 of the tool schema: 59 tokens; the call is 12 + 23.
    expect(completion.usage).toMatchObject({ prompt_tokens: 59, completion_tokens: 9 })
  })

  it('should answer with text once a tool result is in the conversation', async () => {
    const first = await t.openai.chat.completions.create({
      model: 'gpt-4.1',
      messages,
      tools: [lookupOrder],
    })
    const call = first.choices[0]!.message.tool_calls![0]!

    const second = await t.openai.chat.completions.create({
      model: 'gpt-4.1',
      tools: [lookupOrder],
      messages: [
        ...messages,
        first.choices[0]!.message,
        { role: 'tool', tool_call_id: call.id, content: '{"status":"shipped"}' },
      ],
    })

    expect(second.choices[0]?.finish_reason).toBe('stop')
    expect(second.choices[0]?.message.content?.length).toBeGreaterThan(20)
    // 236 characters as above, plus 12 + 23 of the call and 20 of the result: 73 tokens.
    expect(second.usage?.prompt_tokens).toBe(73)
  })

  it('should honour a named tool_choice and tool_choice none', async () => {
    const lookupCustomer = {
      ...lookupOrder,
      function: { ...lookupOrder.function, name: 'lookup_customer' },
    }
    const tools = [lookupOrder, lookupCustomer]

    const named = await t.openai.chat.completions.create({
      model: 'gpt-4o',
      messages,
      tools,
      tool_choice: { type: 'function', function: { name: 'lookup_customer' } },
    })
    const none = await t.openai.chat.completions.create({
      model: 'gpt-4o',
      messages,
      tools,
      tool_choice: 'none',
    })

    const call = named.choices[0]?.message.tool_calls?.[0]
    expect(call?.type === 'function' && call.function.name).toBe('lookup_customer')
    expect(none.choices[0]?.finish_reason).toBe('stop')
  })

  it('should stream the same text, usage in a final chunk when include_usage is set', async () => {
    const plain = await t.openai.chat.completions.create({ model: 'gpt-4o-mini', messages })
    const stream = await t.openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    })
    const chunks = []
    for await (const chunk of stream) chunks.push(chunk)
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')

    expect(chunks.length).toBeGreaterThan(4)
    expect(text).toBe(plain.choices[0]?.message.content)
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop')
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true)
    expect(chunks.at(-1)?.choices).toEqual([])
    expect(chunks.at(-1)?.usage).toEqual(plain.usage)
  })

  it('should stream without any usage when include_usage is not set', async () => {
    const stream = await t.openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages,
      stream: true,
    })
    const chunks = []
    for await (const chunk of stream) chunks.push(chunk)

    expect(chunks.filter((chunk) => 'usage' in chunk)).toEqual([])
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop')
  })

  it('should stream a tool call that the stream helper rebuilds', async () => {
    const plain = await t.openai.chat.completions.create({
      model: 'gpt-4o',
      messages,
      tools: [lookupOrder],
    })
    const streamed = await t.openai.chat.completions
      .stream({
        model: 'gpt-4o',
        messages,
        tools: [lookupOrder],
        stream_options: { include_usage: true },
      })
      .finalChatCompletion()

    expect(streamed.choices[0]?.message.tool_calls).toEqual(plain.choices[0]?.message.tool_calls)
    expect(streamed.usage).toEqual(plain.usage)
  })

  it('should bill reasoning tokens inside completion tokens for gpt-5 models', async () => {
    const completion = await t.openai.chat.completions.create({ model: 'gpt-5-mini', messages })
    const usage = completion.usage!
    const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? 0
    const text = completion.choices[0]?.message.content ?? ''

    expect([64, 128, 192, 256]).toContain(reasoning)
    expect(usage.completion_tokens).toBe(reasoning + Math.ceil(text.length / 4))
  })

  it('should stop at max_completion_tokens with finish_reason length', async () => {
    const completion = await t.openai.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'Write a long report on shipping delays.' }],
      max_completion_tokens: 5,
    })

    expect(completion.choices[0]?.finish_reason).toBe('length')
    expect(completion.choices[0]?.message.content).toHaveLength(20)
    expect(completion.usage?.completion_tokens).toBe(5)
  })

  it('should read a long repeated prefix from the automatic prompt cache', async () => {
    const system = { role: 'system' as const, content: 'Policy. '.repeat(550) }

    const first = await t.openai.chat.completions.create({
      model: 'gpt-4o',
      messages: [system, { role: 'user', content: 'First question' }],
    })
    const second = await t.openai.chat.completions.create({
      model: 'gpt-4o',
      messages: [system, { role: 'user', content: 'Second question' }],
    })

    // 4,400 + 14 and 4,400 + 15 characters; the 1,100-token system prompt is cached as 1,024.
    expect(first.usage?.prompt_tokens).toBe(1104)
    expect(first.usage?.prompt_tokens_details?.cached_tokens).toBe(0)
    expect(second.usage?.prompt_tokens).toBe(1104)
    expect(second.usage?.prompt_tokens_details?.cached_tokens).toBe(1024)
  })
})
