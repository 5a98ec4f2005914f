import { describe, expect, it } from 'vitest'
import { setupOpenAITest } from '../test-support/openai-test-context'
import { usageAttributes, withoutCost } from '../test-support/spans'

const { tracing, client, provider, onlySpan, requestAttributes: baseAttributes } = setupOpenAITest()

const messages = [{ role: 'user' as const, content: 'Which ocean?' }]
const withUsage = {
  model: 'gpt-4o-mini',
  messages,
  stream: true as const,
  stream_options: { include_usage: true },
}
const withoutUsage = { model: 'gpt-3.5-turbo', messages, stream: true as const }

function requestAttributes(model: string) {
  return baseAttributes(model, true)
}

const includeUsageResponse = {
  'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
  'gen_ai.response.id': 'chatcmpl-BuDrRRWybY6JHzabaUyR2OtaEGp79',
  'gen_ai.response.finish_reasons': ['stop'],
}

async function readAll<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const chunks: T[] = []
  for await (const chunk of stream) chunks.push(chunk)
  return chunks
}

describe('a streamed chat completion', () => {
  it('should take the usage from the last chunk and pass every chunk through', async () => {
    provider().serve('openai-chat-stream-include-usage.sse')
    const chunks = await readAll(await client().chat.completions.create(withUsage))

    expect(chunks).toHaveLength(7)
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? null).join('')).toBe(
      'South Atlantic Ocean.',
    )
    expect(chunks.at(-1)?.usage?.total_tokens).toBe(26)
    const span = onlySpan()
    expect(span.status).toEqual({ code: 0 })
    expect(withoutCost(span)).toEqual({
      ...requestAttributes('gpt-4o-mini'),
      ...includeUsageResponse,
      'agentmeter.call.end_reason': 'completed',
      ...usageAttributes({ input: 22, output: 4 }),
    })
    expect(span.attributes['agentmeter.cost.usd']).toBeCloseTo(22 * 0.15e-6 + 4 * 0.6e-6, 9)
  })

  it('should record usage as unknown, never 0, when no usage chunk comes', async () => {
    provider().serve('openai-chat-stream-no-usage.sse')
    const chunks = await readAll(await client().chat.completions.create(withoutUsage))

    expect(chunks).toHaveLength(24)
    const span = onlySpan()
    expect(span.attributes).toEqual({
      ...requestAttributes('gpt-3.5-turbo'),
      'gen_ai.response.model': 'gpt-3.5-turbo-0125',
      'gen_ai.response.id': 'chatcmpl-C4TUacC25IN2vuTdOzverPXrXhZa2',
      'gen_ai.response.finish_reasons': ['stop'],
      'agentmeter.call.end_reason': 'completed',
      'agentmeter.usage.known': false,
    })
  })

  it('should rebuild both streamed tool calls from their deltas', async () => {
    provider().serve('openai-chat-stream-parallel-tool-calls-no-usage.sse')
    await readAll(await client().chat.completions.create({ ...withoutUsage, model: 'gpt-4o-mini' }))

    const span = onlySpan()
    expect(span.attributes['gen_ai.response.tool_calls']).toBe(
      JSON.stringify([
        { id: 'call_SHtIMpPE5ainCyw3LLf32VcZ', name: 'get_current_weather' },
        { id: 'call_HvockKv2nSWQzdTmCv0p2IZD', name: 'get_tomorrow_weather' },
      ]),
    )
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_calls'])
    expect(span.attributes['agentmeter.usage.known']).toBe(false)
  })

  it('should read the model past an Azure prompt-filter chunk and keep reasoning inside output', async () => {
    provider().serve('azure-openai-chat-stream-reasoning-usage.sse')
    await readAll(await client().chat.completions.create({ ...withUsage, model: 'gpt-5-nano' }))

    const span = onlySpan()
    expect(withoutCost(span)).toEqual({
      ...requestAttributes('gpt-5-nano'),
      'gen_ai.response.model': 'gpt-5-nano-2025-08-07',
      'gen_ai.response.id': 'chatcmpl-CYPS1lijGoK8gd9lYzY3r9Sx50nbt',
      'gen_ai.response.finish_reasons': ['stop'],
      'agentmeter.call.end_reason': 'completed',
      ...usageAttributes({ input: 15, output: 78, reasoning: 64 }),
    })
    // gpt-5-nano: $0.05 / $0.40 per million.
    expect(span.attributes['agentmeter.cost.usd']).toBeCloseTo(15 * 0.05e-6 + 78 * 0.4e-6, 9)
  })

  it('should keep a positive cached_tokens count from the final usage chunk', async () => {
    const chunk = (body: object) =>
      `data: ${JSON.stringify({ id: 'c1', model: 'gpt-4o-mini-2024-07-18', ...body })}\n\n`
    provider().serveText(
      'sse',
      chunk({ choices: [{ index: 0, delta: { content: 'Hi' }, finish_reason: 'stop' }] }) +
        chunk({
          choices: [],
          usage: {
            prompt_tokens: 3000,
            completion_tokens: 10,
            total_tokens: 3010,
            prompt_tokens_details: { cached_tokens: 2560 },
          },
        }) +
        'data: [DONE]\n\n',
    )
    await readAll(await client().chat.completions.create(withUsage))

    const span = onlySpan()
    expect(withoutCost(span)).toMatchObject(
      usageAttributes({ input: 3000, cacheRead: 2560, output: 10 }),
    )
    // 440 uncached at $0.15, 2560 cached at $0.075, 10 out at $0.60 per million.
    expect(span.attributes['agentmeter.cost.usd']).toBeCloseTo(
      440 * 0.15e-6 + 2560 * 0.075e-6 + 10 * 0.6e-6,
      9,
    )
  })

  it('should pass chunks the wrapper does not expect through and end with usage unknown', async () => {
    provider().serveText('sse', 'data: {"foo":1}\n\ndata: []\n\ndata: 7\n\ndata: [DONE]\n\n')
    const chunks = await readAll(await client().chat.completions.create(withoutUsage))

    expect(chunks).toEqual([{ foo: 1 }, [], 7])
    const span = onlySpan()
    expect(span.attributes['agentmeter.usage.known']).toBe(false)
    expect(span.attributes['agentmeter.call.end_reason']).toBe('completed')
  })
})

describe('the stream API the client returns', () => {
  it('should keep withResponse() working and write one record', async () => {
    provider().serve('openai-chat-stream-include-usage.sse')
    const { data, response, request_id } = await client()
      .chat.completions.create(withUsage)
      .withResponse()

    expect(response.headers.get('content-type')).toBe('text/event-stream')
    expect(request_id).toBeNull()
    expect(await readAll(data)).toHaveLength(7)
    expect(withoutCost(onlySpan())).toMatchObject(usageAttributes({ input: 22, output: 4 }))
  })

  it('should keep asResponse() working and end the span then, usage unknown', async () => {
    provider().serve('openai-chat-stream-include-usage.sse')
    const response = await client().chat.completions.create(withUsage).asResponse()

    expect(await response.text()).toContain('"total_tokens":26')
    const span = onlySpan()
    expect(span.attributes['agentmeter.call.end_reason']).toBe('raw_response')
    expect(span.attributes['agentmeter.usage.known']).toBe(false)
  })

  it('should end the span once when both branches of tee() are read', async () => {
    provider().serve('openai-chat-stream-include-usage.sse')
    const [left, right] = (await client().chat.completions.create(withUsage)).tee()
    const [leftChunks, rightChunks] = await Promise.all([readAll(left), readAll(right)])

    expect(leftChunks).toHaveLength(7)
    expect(rightChunks).toEqual(leftChunks)
    expect(withoutCost(onlySpan())).toMatchObject(usageAttributes({ input: 22, output: 4 }))
  })

  it('should end the span when toReadableStream() is read to the end', async () => {
    provider().serve('openai-chat-stream-include-usage.sse')
    const readable = (await client().chat.completions.create(withUsage)).toReadableStream()
    const text = await new Response(readable as ReadableStream).text()

    expect(text.trim().split('\n')).toHaveLength(7)
    expect(withoutCost(onlySpan())).toMatchObject(usageAttributes({ input: 22, output: 4 }))
  })

  it('should trace the chat.completions.stream() helper once', async () => {
    provider().serve('openai-chat-stream-include-usage.sse')
    const runner = client().chat.completions.stream(withUsage)
    const final = await runner.finalChatCompletion()

    expect(final.choices[0]?.message.content).toBe('South Atlantic Ocean.')
    expect(withoutCost(onlySpan())).toMatchObject(usageAttributes({ input: 22, output: 4 }))
  })
})

describe('a stream that ends early', () => {
  it('should close as cancelled on break, without reading the rest of the body', async () => {
    provider().serve('openai-chat-stream-no-usage.sse', { holdAfterEvents: 1 })
    const disconnected = provider().nextDisconnect()
    const stream = await client().chat.completions.create(withoutUsage)
    for await (const chunk of stream) {
      expect(chunk.model).toBe('gpt-3.5-turbo-0125')
      break
    }

    expect(await disconnected).toBe(1)
    const span = onlySpan()
    expect(span.status).toEqual({ code: 0 })
    expect(span.attributes).toEqual({
      ...requestAttributes('gpt-3.5-turbo'),
      'gen_ai.response.model': 'gpt-3.5-turbo-0125',
      'gen_ai.response.id': 'chatcmpl-C4TUacC25IN2vuTdOzverPXrXhZa2',
      'agentmeter.call.end_reason': 'cancelled',
      'agentmeter.usage.known': false,
    })
  })

  it('should close as aborted with usage unknown when aborted after two chunks', async () => {
    provider().serve('openai-chat-stream-include-usage.sse', { holdAfterEvents: 2 })
    const controller = new AbortController()
    const stream = await client().chat.completions.create(withUsage, { signal: controller.signal })
    let seen = 0
    for await (const _chunk of stream) {
      seen++
      if (seen === 2) controller.abort()
    }

    expect(seen).toBe(2)
    const span = onlySpan()
    expect(span.status).toEqual({ code: 2, message: 'aborted' })
    expect(span.attributes['agentmeter.call.end_reason']).toBe('aborted')
    expect(span.attributes['agentmeter.usage.known']).toBe(false)
    expect(span.attributes['gen_ai.usage.input_tokens']).toBeUndefined()
  })

  it('should close as aborted when aborted before the response arrives', async () => {
    // Nothing is queued: the request is aborted before it is sent.
    const controller = new AbortController()
    const pending = client().chat.completions.create(withUsage, { signal: controller.signal })
    controller.abort()

    await expect(pending).rejects.toThrow('Request was aborted.')
    const span = onlySpan()
    expect(span.status).toEqual({ code: 2, message: 'aborted' })
    expect(span.attributes['agentmeter.usage.known']).toBe(false)
  })

  it('should close with an error when the socket is destroyed mid-stream', async () => {
    provider().serve('openai-chat-stream-include-usage.sse', { destroyAfterEvents: 3 })
    const seen: unknown[] = []
    const reading = (async () => {
      for await (const chunk of await client().chat.completions.create(withUsage)) seen.push(chunk)
    })()

    await expect(reading).rejects.toThrow()
    expect(seen).toHaveLength(3)
    const span = onlySpan()
    expect(span.status.code).toBe(2)
    expect(span.attributes['agentmeter.call.end_reason']).toBe('error')
    expect(span.attributes['agentmeter.usage.known']).toBe(false)
    expect(span.attributes['gen_ai.response.model']).toBe('gpt-4o-mini-2024-07-18')
  })
})

describe('content capture', () => {
  it('should keep prompts, text and tool arguments off spans by default', async () => {
    provider().serve('openai-chat-stream-parallel-tool-calls-no-usage.sse')
    await readAll(await client().chat.completions.create(withoutUsage))

    const keys = Object.keys(onlySpan().attributes)
    expect(keys.filter((key) => key.includes('messages') || key.includes('arguments'))).toEqual([])
  })

  it('should record messages, text and streamed tool arguments when turned on', async () => {
    tracing.setCaptureContent(true)
    provider().serve('openai-chat-stream-parallel-tool-calls-no-usage.sse')
    await readAll(await client().chat.completions.create(withoutUsage))

    const span = onlySpan()
    expect(span.attributes['gen_ai.input.messages']).toBe(JSON.stringify(messages))
    const calls = JSON.parse(String(span.attributes['gen_ai.response.tool_calls'])) as Array<{
      arguments: string
    }>
    expect(calls.map((call) => JSON.parse(call.arguments) as unknown)).toEqual([
      { location: 'Boston, MA' },
      { location: 'Chicago, IL' },
    ])
    const output = JSON.parse(String(span.attributes['gen_ai.output.messages'])) as Array<{
      role: string
      parts: Array<{ type: string }>
      finish_reason: string
    }>
    expect(output[0]?.role).toBe('assistant')
    expect(output[0]?.finish_reason).toBe('tool_calls')
    expect(output[0]?.parts.map((part) => part.type)).toEqual(['tool_call', 'tool_call'])
  })
})
