import Anthropic from '@anthropic-ai/sdk'
import { trace } from '@opentelemetry/api'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { startTestProvider, type TestProvider } from '../test-support/provider-server'
import { countEvents } from '../test-support/recordings'
import { setupTestTracing } from '../test-support/setup-test-tracing'
import { usageAttributes, withoutCost } from '../test-support/spans'

const tracing = setupTestTracing()
let provider: TestProvider
let client: Anthropic
let port: number

beforeAll(async () => {
  provider = await startTestProvider()
  port = Number(new URL(provider.url).port)
  client = new Anthropic({ apiKey: 'test-key', baseURL: provider.url, maxRetries: 0 })
})
afterAll(async () => {
  await provider.close()
  await tracing.shutdown()
})
beforeEach(() => tracing.reset())

const params = {
  model: 'claude-3-opus-20240229',
  max_tokens: 1024,
  messages: [{ role: 'user' as const, content: 'Hello' }],
}

function requestAttributes(model: string, stream: boolean) {
  return {
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.request.model': model,
    'gen_ai.request.stream': stream,
    'gen_ai.request.max_tokens': 1024,
    'agentmeter.span.kind': 'llm',
    'server.address': '127.0.0.1',
    'server.port': port,
  }
}

/** The one span of the call: the client's own spans must stay suppressed. */
function onlySpan() {
  const spans = tracing.spans()
  expect(spans.map((span) => span.name)).toHaveLength(1)
  return spans[0]!
}

async function readAll<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const events: T[] = []
  for await (const event of stream) events.push(event)
  return events
}

describe('messages.create without streaming', () => {
  it('should record openai-style totals for anthropic-messages-basic.json', async () => {
    provider.serve('anthropic-messages-basic.json')
    const message = await client.messages.create(params)

    expect(message.usage.output_tokens).toBe(137)
    const span = onlySpan()
    expect(span.name).toBe('chat claude-3-opus-20240229')
    expect(withoutCost(span)).toEqual({
      ...requestAttributes('claude-3-opus-20240229', false),
      'agentmeter.call.end_reason': 'completed',
      'gen_ai.response.model': 'claude-3-opus-20240229',
      'gen_ai.response.id': 'msg_01ABEG1nJ4BqCbQR4BUANnCB',
      'gen_ai.response.finish_reasons': ['end_turn'],
      ...usageAttributes({ input: 17, output: 137 }),
    })
    // claude-3-opus: $15 / $75 per million.
    expect(span.attributes['agentmeter.cost.usd']).toBeCloseTo(17 * 15e-6 + 137 * 75e-6, 9)
  })

  it('should add the cache write to the input and price it at the write rate', async () => {
    provider.serve('anthropic-messages-cache-write.json')
    await client.messages.create({ ...params, model: 'claude-3-haiku-20240307' })

    const span = onlySpan()
    expect(withoutCost(span)).toMatchObject(
      usageAttributes({ input: 1231 + 1200, cacheWrite: 1200, output: 5 }),
    )
    // claude-3-haiku: $0.25 input, $0.30 cache write, $1.25 output per million.
    expect(span.attributes['agentmeter.cost.usd']).toBeCloseTo(
      1231 * 0.25e-6 + 1200 * 0.3e-6 + 5 * 1.25e-6,
      9,
    )
  })

  it('should count thinking inside output_tokens', async () => {
    provider.serve('anthropic-messages-thinking.json')
    await client.messages.create({ ...params, model: 'claude-opus-4-1-20250805' })

    const span = onlySpan()
    expect(withoutCost(span)).toMatchObject(usageAttributes({ input: 49, output: 186 }))
    expect(span.attributes['agentmeter.cost.usd']).toBeCloseTo(49 * 15e-6 + 186 * 75e-6, 9)
  })

  it('should list the tool_use block the model asked for', async () => {
    provider.serve('anthropic-messages-tool-use.json')
    await client.messages.create(params)

    expect(withoutCost(onlySpan())).toMatchObject({
      'gen_ai.response.finish_reasons': ['tool_use'],
      'gen_ai.response.tool_calls': JSON.stringify([
        { id: 'toolu_01LRmxn9vGM1d2DZSDBowdZ1', name: 'updateIssueList' },
      ]),
      ...usageAttributes({ input: 602, output: 93 }),
    })
  })

  it('should list server tool calls next to the token usage', async () => {
    provider.serve('anthropic-messages-web-search.json')
    await client.messages.create({ ...params, model: 'claude-sonnet-4-20250514' })

    const span = onlySpan()
    expect(withoutCost(span)).toMatchObject({
      'gen_ai.response.tool_calls': JSON.stringify([
        { id: 'srvtoolu_01Qxbje4duKBes3Nj42MkZug', name: 'web_search' },
        { id: 'srvtoolu_01HyorfKHSCsjCUVH6WHcNUC', name: 'web_search' },
      ]),
      ...usageAttributes({ input: 27118, output: 600 }),
      'agentmeter.usage.web_search_requests': 2,
    })
    // claude-sonnet-4: $3 / $15 per million, and $10 per thousand web searches.
    expect(span.attributes['agentmeter.cost.usd']).toBeCloseTo(
      27118 * 3e-6 + 600 * 15e-6 + 2 * 0.01,
      9,
    )
  })

  it('should keep withResponse() working', async () => {
    provider.serve('anthropic-messages-basic.json')
    const { data, response } = await client.messages.create(params).withResponse()

    expect(response.status).toBe(200)
    expect(data.id).toBe('msg_01ABEG1nJ4BqCbQR4BUANnCB')
    expect(onlySpan().attributes['gen_ai.usage.output_tokens']).toBe(137)
  })
})

describe('messages.create with streaming', () => {
  it('should keep the message_start input and take the message_delta output', async () => {
    provider.serve('anthropic-messages-stream.sse')
    const events = await readAll(await client.messages.create({ ...params, stream: true }))

    expect(events.filter((event) => event.type === 'content_block_delta').length).toBeGreaterThan(0)
    const span = onlySpan()
    expect(withoutCost(span)).toEqual({
      ...requestAttributes('claude-3-opus-20240229', true),
      'agentmeter.call.end_reason': 'completed',
      'gen_ai.response.model': 'claude-3-opus-20240229',
      'gen_ai.response.id': 'msg_0178nRhNdfNKxFcZRFqApVgL',
      'gen_ai.response.finish_reasons': ['end_turn'],
      ...usageAttributes({ input: 17, output: 158 }),
    })
    expect(span.attributes['agentmeter.cost.usd']).toBeCloseTo(17 * 15e-6 + 158 * 75e-6, 9)
  })

  it('should let a larger cumulative input in message_delta win', async () => {
    provider.serve('anthropic-messages-stream-delta-input-tokens.sse')
    await readAll(await client.messages.create({ ...params, stream: true }))

    expect(withoutCost(onlySpan())).toMatchObject(usageAttributes({ input: 61, output: 2 }))
  })

  it('should take cache reads and writes from the final message_delta', async () => {
    provider.serve('anthropic-messages-stream-cache-read-server-tools.sse')
    await readAll(
      await client.messages.create({ ...params, model: 'claude-sonnet-5', stream: true }),
    )

    const span = onlySpan()
    expect(withoutCost(span)).toMatchObject({
      'gen_ai.response.tool_calls': JSON.stringify([
        { id: 'srvtoolu_011fxGj786xCAh2kPk9GMxQw', name: 'bash_code_execution' },
        { id: 'srvtoolu_013eUksWZnfcjFk1iarJsYgM', name: 'bash_code_execution' },
      ]),
      ...usageAttributes({
        input: 6 + 3337 + 6289,
        cacheRead: 6289,
        cacheWrite: 3337,
        output: 198,
      }),
    })
    // claude-sonnet-5 in the catalog: $2 input, $0.20 cache read, $2.50 cache write, $10 output.
    expect(span.attributes['agentmeter.cost.usd']).toBeCloseTo(
      6 * 2e-6 + 6289 * 0.2e-6 + 3337 * 2.5e-6 + 198 * 10e-6,
      9,
    )
  })

  it('should rebuild a streamed tool_use block', async () => {
    provider.serve('anthropic-messages-stream-tool-use.sse')
    await readAll(
      await client.messages.create({
        ...params,
        model: 'claude-sonnet-4-5-20250929',
        stream: true,
      }),
    )

    expect(withoutCost(onlySpan())).toMatchObject({
      'gen_ai.response.finish_reasons': ['tool_use'],
      'gen_ai.response.tool_calls': JSON.stringify([
        { id: 'toolu_01QE1WLsSVp5hy5Q3GmGTmjP', name: 'updateIssueList' },
      ]),
      ...usageAttributes({ input: 565, output: 48 }),
    })
  })

  it('should close one record when both branches of tee() are read', async () => {
    provider.serve('anthropic-messages-stream.sse')
    const [left, right] = (await client.messages.create({ ...params, stream: true })).tee()
    const [leftEvents, rightEvents] = await Promise.all([readAll(left), readAll(right)])

    expect(rightEvents).toEqual(leftEvents)
    const span = onlySpan()
    expect(span.attributes['agentmeter.call.end_reason']).toBe('completed')
    expect(withoutCost(span)).toMatchObject(usageAttributes({ input: 17, output: 158 }))
  })

  it('should keep the message_start usage, marked partial, on break', async () => {
    provider.serve('anthropic-messages-stream.sse', { holdAfterEvents: 3 })
    const disconnected = provider.nextDisconnect()
    let seen = 0
    for await (const _event of await client.messages.create({ ...params, stream: true })) {
      if (++seen === 2) break
    }

    expect(await disconnected).toBe(3)
    const span = onlySpan()
    expect(span.status).toEqual({ code: 0 })
    expect(withoutCost(span)).toMatchObject({
      'agentmeter.call.end_reason': 'cancelled',
      'agentmeter.usage.partial': true,
      ...usageAttributes({ input: 17, output: 1 }),
    })
  })

  it('should close with an error and keep the input when the socket dies mid-stream', async () => {
    const half = Math.floor(countEvents('anthropic-messages-stream.sse') / 2)
    provider.serve('anthropic-messages-stream.sse', { destroyAfterEvents: half })
    const reading = readAll(await client.messages.create({ ...params, stream: true }))

    await expect(reading).rejects.toThrow()
    const span = onlySpan()
    expect(span.status.code).toBe(2)
    expect(withoutCost(span)).toMatchObject({
      'agentmeter.call.end_reason': 'error',
      'agentmeter.usage.partial': true,
      ...usageAttributes({ input: 17, output: 1 }),
    })
  })
})

describe('messages.stream()', () => {
  it('should trace the MessageStream helper once and keep finalMessage()', async () => {
    provider.serve('anthropic-messages-stream.sse')
    const stream = client.messages.stream(params)
    const final = await stream.finalMessage()

    expect(final.usage.output_tokens).toBe(158)
    const span = onlySpan()
    expect(withoutCost(span)).toEqual({
      ...requestAttributes('claude-3-opus-20240229', true),
      'agentmeter.call.end_reason': 'completed',
      'gen_ai.response.model': 'claude-3-opus-20240229',
      'gen_ai.response.id': 'msg_0178nRhNdfNKxFcZRFqApVgL',
      'gen_ai.response.finish_reasons': ['end_turn'],
      ...usageAttributes({ input: 17, output: 158 }),
    })
    expect(provider.requests.at(-1)?.headers['x-stainless-helper-method']).toBe('stream')
  })

  it('should take the final message_delta counts where finalMessage keeps a stale breakdown', async () => {
    provider.serve('anthropic-messages-stream-cache-read-server-tools.sse')
    const final = await client.messages
      .stream({ ...params, model: 'claude-sonnet-5' })
      .finalMessage()

    expect(final.usage.cache_read_input_tokens).toBe(6289)
    expect(withoutCost(onlySpan())).toMatchObject(
      usageAttributes({ input: 9632, cacheRead: 6289, cacheWrite: 3337, output: 198 }),
    )
  })

  it('should close as aborted when the app aborts the stream', async () => {
    provider.serve('anthropic-messages-stream.sse', { holdAfterEvents: 4 })
    const stream = client.messages.stream(params)
    let seen = 0
    stream.on('streamEvent', () => {
      if (++seen === 2) stream.abort()
    })

    await expect(stream.finalMessage()).rejects.toThrow()
    const span = onlySpan()
    expect(span.status).toEqual({ code: 2, message: 'aborted' })
    expect(withoutCost(span)).toMatchObject({
      'agentmeter.call.end_reason': 'aborted',
      'agentmeter.usage.partial': true,
      ...usageAttributes({ input: 17, output: 1 }),
    })
  })

  it('should close with an error when the socket dies mid-stream', async () => {
    const half = Math.floor(countEvents('anthropic-messages-stream.sse') / 2)
    provider.serve('anthropic-messages-stream.sse', { destroyAfterEvents: half })

    await expect(client.messages.stream(params).finalMessage()).rejects.toThrow()
    const span = onlySpan()
    expect(span.status.code).toBe(2)
    expect(withoutCost(span)).toMatchObject(usageAttributes({ input: 17, output: 1 }))
  })
})

describe("the client's own spans", () => {
  it('should be off only for the call: the client keeps its tracer, app spans in handlers stay', async () => {
    provider.serve('anthropic-messages-stream.sse')
    const stream = client.messages.stream(params)
    stream.on('message', () => trace.getTracer('app').startSpan('on message').end())
    await stream.finalMessage()

    expect(tracing.spans().map((span) => span.name)).toEqual([
      'on message',
      'chat claude-3-opus-20240229',
    ])
    expect((client as unknown as { _tracer?: unknown })._tracer).toBeDefined()
  })

  it('should exist without our patch, so suppressing them is what keeps one span per call', async () => {
    const { patchAnthropicModule, unpatchAnthropicModules } = await import('./instrument')
    unpatchAnthropicModules()
    try {
      provider.serve('anthropic-messages-basic.json')
      await new Anthropic({ apiKey: 'k', baseURL: provider.url, maxRetries: 0 }).messages.create(
        params,
      )
      const spans = tracing.spans()
      expect(spans).toHaveLength(1)
      expect(spans[0]?.instrumentationScope.name).toContain('anthropic')
      expect(spans[0]?.attributes['gen_ai.usage.input_tokens']).toBe(17)
    } finally {
      expect(patchAnthropicModule(await import('@anthropic-ai/sdk'))).toBe(2)
    }
  })
})
