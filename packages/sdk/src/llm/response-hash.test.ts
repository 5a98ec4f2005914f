import Anthropic from '@anthropic-ai/sdk'
import { deriveHashKey, fingerprintResponse } from '@agentmeter/core'
import { startReplayServer, type ReplayServer } from '@agentmeter/replay'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { instrumentAnthropic } from '../anthropic/instrument'
import { instrumentOpenAI } from '../openai/instrument'
import { setHashKey } from '../state'
import { setupTestTracing } from '../test-support/setup-test-tracing'

// `agentmeter.response.hash` of a streamed call equals that of the same answer not streamed,
// for both clients, against the replay provider (which answers a request the same way whether
// it is streamed or not), and streaming changes no token count.

const tracing = setupTestTracing()
const key = deriveHashKey({ hashKey: 'response-hash-test' })!
let replay: ReplayServer
let openai: OpenAI
let anthropic: Anthropic

beforeAll(async () => {
  setHashKey(key)
  replay = await startReplayServer()
  openai = instrumentOpenAI(
    new OpenAI({ apiKey: 'test-key', baseURL: replay.openaiBaseURL, maxRetries: 0 }),
  )
  anthropic = instrumentAnthropic(
    new Anthropic({ apiKey: 'test-key', baseURL: replay.anthropicBaseURL, maxRetries: 0 }),
  )
})
afterAll(async () => {
  await replay.close()
  await tracing.shutdown()
})
beforeEach(() => tracing.reset())

const USAGE_KEYS = [
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.cache_read.input_tokens',
  'gen_ai.usage.cache_creation.input_tokens',
  'gen_ai.usage.reasoning.output_tokens',
]

function usageOf(span: ReadableSpan): unknown[] {
  return USAGE_KEYS.map((name) => span.attributes[name])
}

async function drain(stream: AsyncIterable<unknown>): Promise<unknown[]> {
  const events: unknown[] = []
  for await (const event of stream) events.push(event)
  return events
}

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  },
}

describe('the response hash of an OpenAI chat completion', () => {
  const messages = [{ role: 'user' as const, content: 'Summarize the refund policy in a line.' }]

  it('should be the same for a streamed answer and the same answer whole', async () => {
    const whole = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages })
    await drain(
      await openai.chat.completions.create({
        model: 'gpt-4o-mini',
        messages,
        stream: true,
        stream_options: { include_usage: true },
      }),
    )
    const [plain, streamed] = tracing.spansOfKind('llm')
    const text = whole.choices[0]!.message.content!
    expect(text.length).toBeGreaterThan(20)
    // The definition, computed from what the app received: the answer's text part.
    const expected = fingerprintResponse(key, [{ choice: 0, type: 'text', text }])
    expect(plain!.attributes['agentmeter.response.hash']).toBe(expected)
    expect(streamed!.attributes['agentmeter.response.hash']).toBe(expected)
    expect(usageOf(streamed!)).toEqual(usageOf(plain!))
    expect(plain!.attributes['gen_ai.usage.input_tokens']).toBe(whole.usage!.prompt_tokens)
    expect(plain!.attributes['gen_ai.usage.output_tokens']).toBe(whole.usage!.completion_tokens)
  })

  it('should cover a tool call streamed in argument fragments', async () => {
    const body = {
      model: 'gpt-4o-mini',
      messages: [{ role: 'user' as const, content: 'What is the weather in Lisbon today?' }],
      tools: [weatherTool],
      tool_choice: 'required' as const,
    }
    const whole = await openai.chat.completions.create(body)
    await drain(await openai.chat.completions.create({ ...body, stream: true }))
    const [plain, streamed] = tracing.spansOfKind('llm')
    const call = whole.choices[0]!.message.tool_calls![0]!
    if (call.type !== 'function') throw new Error('expected a function call')
    const expected = fingerprintResponse(key, [
      { choice: 0, type: 'tool_call', name: 'get_weather', arguments: call.function.arguments },
    ])
    expect(plain!.attributes['agentmeter.response.hash']).toBe(expected)
    expect(streamed!.attributes['agentmeter.response.hash']).toBe(expected)
    // Without `include_usage` a stream reports no usage: unknown, never zero.
    expect(streamed!.attributes['agentmeter.usage.known']).toBe(false)
    expect(streamed!.attributes['gen_ai.usage.input_tokens']).toBeUndefined()
  })
})

describe('the response hash of an Anthropic message', () => {
  it('should be the same for a streamed answer and the same answer whole', async () => {
    const body = {
      model: 'claude-sonnet-4-20250514',
      max_tokens: 256,
      messages: [{ role: 'user' as const, content: 'Summarize the refund policy in a line.' }],
    }
    const whole = await anthropic.messages.create(body)
    await drain(await anthropic.messages.create({ ...body, stream: true }))
    const [plain, streamed] = tracing.spansOfKind('llm')
    const block = whole.content[0]!
    if (block.type !== 'text') throw new Error('expected a text block')
    const expected = fingerprintResponse(key, [{ choice: 0, type: 'text', text: block.text }])
    expect(plain!.attributes['agentmeter.response.hash']).toBe(expected)
    expect(streamed!.attributes['agentmeter.response.hash']).toBe(expected)
    expect(usageOf(streamed!)).toEqual(usageOf(plain!))
    expect(plain!.attributes['gen_ai.usage.input_tokens']).toBe(whole.usage.input_tokens)
    expect(plain!.attributes['gen_ai.usage.output_tokens']).toBe(whole.usage.output_tokens)
  })

  it('should cover tool input streamed as JSON fragments, canonically', async () => {
    const body = {
      model: 'claude-sonnet-4-20250514',
      max_tokens: 256,
      messages: [{ role: 'user' as const, content: 'What is the weather in Lisbon today?' }],
      tools: [
        {
          name: 'get_weather',
          description: 'Weather for a city',
          input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
        },
      ],
      tool_choice: { type: 'any' as const },
    }
    const whole = await anthropic.messages.create(body)
    await drain(await anthropic.messages.create({ ...body, stream: true }))
    const [plain, streamed] = tracing.spansOfKind('llm')
    const parts = whole.content.flatMap((block): Record<string, unknown>[] => {
      if (block.type === 'text') return [{ choice: 0, type: 'text', text: block.text }]
      if (block.type === 'tool_use') {
        const input = block.input as Record<string, unknown>
        const sorted = Object.fromEntries(
          Object.keys(input)
            .sort()
            .map((k) => [k, input[k]]),
        )
        return [
          { choice: 0, type: 'tool_call', name: block.name, arguments: JSON.stringify(sorted) },
        ]
      }
      return []
    })
    expect(parts.some((part) => part.type === 'tool_call')).toBe(true)
    const expected = fingerprintResponse(key, parts)
    expect(plain!.attributes['agentmeter.response.hash']).toBe(expected)
    expect(streamed!.attributes['agentmeter.response.hash']).toBe(expected)
    expect(usageOf(streamed!)).toEqual(usageOf(plain!))
  })
})
