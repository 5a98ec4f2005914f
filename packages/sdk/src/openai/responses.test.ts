import { describe, expect, it } from 'vitest'
import { setupOpenAITest } from '../test-support/openai-test-context'
import { usageAttributes, withoutCost } from '../test-support/spans'

const { client, provider, requestAttributes, onlySpan } = setupOpenAITest()

async function readAll<T>(stream: AsyncIterable<T>): Promise<T[]> {
  const events: T[] = []
  for await (const event of stream) events.push(event)
  return events
}

describe('responses.create without streaming', () => {
  it('should map the Responses usage names of openai-responses-basic.json', async () => {
    provider().serve('openai-responses-basic.json')
    const response = await client().responses.create({ model: 'gpt-4o-mini', input: 'hi' })

    expect(response.output_text.length).toBeGreaterThan(0)
    const span = onlySpan()
    expect(span.name).toBe('chat gpt-4o-mini')
    expect(withoutCost(span)).toEqual({
      ...requestAttributes('gpt-4o-mini', false),
      'agentmeter.call.end_reason': 'completed',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.id': 'resp_098a86033e882e31006a1818d103048192889c7541e8827731',
      'gen_ai.response.finish_reasons': ['completed'],
      ...usageAttributes({ input: 14, output: 26 }),
    })
    expect(span.attributes['agentmeter.cost.usd']).toBeCloseTo(14 * 0.15e-6 + 26 * 0.6e-6, 9)
  })

  it('should price cached tokens at the cached rate', async () => {
    provider().serve('openai-responses-cached-tokens.json')
    await client().responses.create({ model: 'gpt-4o-mini', input: 'hi' })

    const span = onlySpan()
    expect(withoutCost(span)).toMatchObject(
      usageAttributes({ input: 14, cacheRead: 13, output: 26 }),
    )
    // 1 uncached at $0.15, 13 cached at $0.075, 26 out at $0.60 per million.
    expect(span.attributes['agentmeter.cost.usd']).toBeCloseTo(
      1 * 0.15e-6 + 13 * 0.075e-6 + 26 * 0.6e-6,
      9,
    )
  })

  it('should keep reasoning inside the output', async () => {
    provider().serve('openai-responses-reasoning.json')
    await client().responses.create({ model: 'gpt-5-mini', input: 'think' })

    const span = onlySpan()
    expect(withoutCost(span)).toMatchObject({
      'gen_ai.response.model': 'gpt-5-mini-2025-08-07',
      ...usageAttributes({ input: 865, output: 163, reasoning: 128 }),
    })
    // gpt-5-mini: $0.25 / $2.00 per million.
    expect(span.attributes['agentmeter.cost.usd']).toBeCloseTo(865 * 0.25e-6 + 163 * 2e-6, 9)
  })
})

describe('responses.create with streaming', () => {
  it('should take cached and reasoning tokens from response.completed', async () => {
    provider().serve('openai-responses-stream-file-search-cached-reasoning.sse')
    const events = await readAll(
      await client().responses.create({ model: 'gpt-5-mini', input: 'search', stream: true }),
    )

    expect(events).toHaveLength(94)
    const span = onlySpan()
    expect(withoutCost(span)).toEqual({
      ...requestAttributes('gpt-5-mini', true),
      'agentmeter.call.end_reason': 'completed',
      'gen_ai.response.model': 'gpt-5-mini-2025-08-07',
      'gen_ai.response.id': 'resp_0459517ad68504ad0068cabfba22b88192836339640e9a765a',
      'gen_ai.response.finish_reasons': ['completed'],
      'gen_ai.response.tool_calls': JSON.stringify([
        { id: 'fs_0459517ad68504ad0068cabfbd76888192a5dc4475fadabf8a', name: 'file_search' },
      ]),
      ...usageAttributes({ input: 3737, cacheRead: 2304, output: 621, reasoning: 512 }),
      'agentmeter.usage.file_search_requests': 1,
    })
    // 1433 uncached at $0.25, 2304 cached at $0.025, 621 out at $2.00 per million, and one
    // file search call (its three queries are one call) at $2.50 per thousand.
    expect(span.attributes['agentmeter.cost.usd']).toBeCloseTo(
      1433 * 0.25e-6 + 2304 * 0.025e-6 + 621 * 2e-6 + 0.0025,
      9,
    )
  })

  it('should record the client-side local_shell call of a stream', async () => {
    provider().serve('openai-responses-stream-local-shell-tool.sse')
    await readAll(
      await client().responses.create({ model: 'gpt-5-codex', input: 'ls', stream: true }),
    )

    const span = onlySpan()
    expect(withoutCost(span)).toMatchObject({
      'gen_ai.response.model': 'gpt-5-codex',
      'gen_ai.response.tool_calls': JSON.stringify([
        { id: 'call_h3nm8hUG0KO9tVNuRACkL1ri', name: 'local_shell' },
      ]),
      ...usageAttributes({ input: 407, output: 151, reasoning: 128 }),
    })
  })

  it('should leave usage unknown when the stream breaks before response.completed', async () => {
    provider().serve('openai-responses-stream-local-shell-tool.sse', { holdAfterEvents: 3 })
    const disconnected = provider().nextDisconnect()
    let seen = 0
    for await (const _event of await client().responses.create({
      model: 'gpt-5-codex',
      input: 'ls',
      stream: true,
    })) {
      if (++seen === 2) break
    }

    expect(await disconnected).toBe(3)
    const span = onlySpan()
    expect(span.attributes['agentmeter.call.end_reason']).toBe('cancelled')
    expect(span.attributes['agentmeter.usage.known']).toBe(false)
    expect(span.attributes['gen_ai.response.model']).toBe('gpt-5-codex')
  })

  it('should trace the responses.stream() helper once', async () => {
    provider().serve('openai-responses-stream-local-shell-tool.sse')
    const stream = client().responses.stream({ model: 'gpt-5-codex', input: 'ls' })
    const final = await stream.finalResponse()

    expect(final.usage?.total_tokens).toBe(558)
    expect(withoutCost(onlySpan())).toMatchObject(
      usageAttributes({ input: 407, output: 151, reasoning: 128 }),
    )
  })
})
