import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { startReplayServer } from './replay-server'
import type { ReplayServer } from './replay-server'

// Every recording, served by the replay server and parsed by the real client, must give the
// usage numbers written in recordings/INDEX.md.
let server: ReplayServer
let openai: OpenAI
let anthropic: Anthropic

beforeAll(async () => {
  server = await startReplayServer()
  openai = new OpenAI({ apiKey: 'sk-replay', baseURL: server.openaiBaseURL, maxRetries: 0 })
  anthropic = new Anthropic({
    apiKey: 'sk-replay',
    baseURL: server.anthropicBaseURL,
    maxRetries: 0,
  })
})

afterAll(() => server.close())

const chatRequest = { model: 'gpt-4o-mini', messages: [{ role: 'user' as const, content: 'Hi' }] }

async function chat(recording: string) {
  server.enqueue(recording)
  return openai.chat.completions.create(chatRequest)
}

async function chatStream(recording: string) {
  server.enqueue(recording)
  const stream = await openai.chat.completions.create({ ...chatRequest, stream: true })
  const chunks = []
  for await (const chunk of stream) chunks.push(chunk)
  return chunks
}

async function response(recording: string, stream: boolean) {
  server.enqueue(recording)
  if (!stream) return openai.responses.create({ model: 'gpt-4o-mini', input: 'Hi' })
  return openai.responses.stream({ model: 'gpt-4o-mini', input: 'Hi' }).finalResponse()
}

async function message(recording: string, stream: boolean) {
  server.enqueue(recording)
  const request = { model: 'claude-sonnet-4-5', max_tokens: 1024, messages: chatRequest.messages }
  if (!stream) return anthropic.messages.create(request)
  return anthropic.messages.stream(request).finalMessage()
}

describe('OpenAI chat completions recordings', () => {
  it.each([
    ['openai-chat-basic.json', 22, 3, 25],
    ['openai-chat-tool-calls-parallel.json', 57, 46, 103],
    ['openai-chat-tool-result-followup.json', 125, 26, 151],
    ['openai-chat-legacy-function-call.json', 82, 16, 98],
  ])('should parse %s with prompt %i, completion %i, total %i', async (name, p, c, t) => {
    const completion = await chat(name)

    expect(completion.usage).toMatchObject({
      prompt_tokens: p,
      completion_tokens: c,
      total_tokens: t,
    })
  })

  it('should parse the parallel tool calls of openai-chat-tool-calls-parallel.json', async () => {
    const completion = await chat('openai-chat-tool-calls-parallel.json')

    expect(completion.choices[0]?.finish_reason).toBe('tool_calls')
    expect(completion.choices[0]?.message.tool_calls?.map((call) => call.id)).toEqual([
      'call_PXP2udMH0QECumyxuh4lpn3y',
      'call_TKk9c7b7gvDqCQzv80Loc7fT',
    ])
  })

  it('should parse the xAI body with cached and reasoning tokens outside completion', async () => {
    const completion = await chat('xai-chat-tool-call-cached-reasoning.json')

    expect(completion.model).toBe('grok-3-mini')
    expect(completion.usage).toMatchObject({
      prompt_tokens: 307,
      completion_tokens: 26,
      total_tokens: 588,
      prompt_tokens_details: { cached_tokens: 244 },
      completion_tokens_details: { reasoning_tokens: 255 },
    })
  })

  it('should stream the include-usage recording with usage in the last chunk only', async () => {
    const chunks = await chatStream('openai-chat-stream-include-usage.sse')
    const last = chunks.at(-1)

    expect(chunks).toHaveLength(7)
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true)
    expect(last?.choices).toEqual([])
    expect(last?.usage).toMatchObject({ prompt_tokens: 22, completion_tokens: 4, total_tokens: 26 })
  })

  it('should stream openai-chat-stream-no-usage.sse as 24 chunks without usage', async () => {
    const chunks = await chatStream('openai-chat-stream-no-usage.sse')

    expect(chunks).toHaveLength(24)
    expect(chunks.filter((chunk) => chunk.usage !== undefined)).toEqual([])
    expect(chunks[0]?.model).toBe('gpt-3.5-turbo-0125')
  })

  it('should rebuild both streamed tool calls of the parallel no-usage stream', async () => {
    server.enqueue('openai-chat-stream-parallel-tool-calls-no-usage.sse')
    const stream = openai.chat.completions.stream(chatRequest)
    const completion = await stream.finalChatCompletion()

    expect(
      completion.choices[0]?.message.tool_calls?.map(
        (call) => call.type === 'function' && call.function.name,
      ),
    ).toEqual(['get_current_weather', 'get_tomorrow_weather'])
    expect(completion.usage).toBeUndefined()
  })

  it('should stream the Azure body with reasoning usage in the last chunk', async () => {
    const chunks = await chatStream('azure-openai-chat-stream-reasoning-usage.sse')

    expect(chunks[0]?.model).toBe('')
    expect(chunks.at(-1)?.usage).toMatchObject({
      prompt_tokens: 15,
      completion_tokens: 78,
      total_tokens: 93,
      prompt_tokens_details: { cached_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 64 },
    })
  })
})

describe('OpenAI Responses recordings', () => {
  it.each([
    ['openai-responses-basic.json', false, 14, 0, 26, 0, 40],
    ['openai-responses-cached-tokens.json', false, 14, 13, 26, 0, 40],
    ['openai-responses-reasoning.json', false, 865, 0, 163, 128, 1028],
    ['openai-responses-stream-file-search-cached-reasoning.sse', true, 3737, 2304, 621, 512, 4358],
    ['openai-responses-stream-local-shell-tool.sse', true, 407, 0, 151, 128, 558],
  ])(
    'should parse %s (stream %s) with input %i, cached %i, output %i, reasoning %i, total %i',
    async (name, stream, input, cached, output, reasoning, total) => {
      const result = await response(name, stream)

      expect(result.usage).toEqual({
        input_tokens: input,
        input_tokens_details: { cached_tokens: cached },
        output_tokens: output,
        output_tokens_details: { reasoning_tokens: reasoning },
        total_tokens: total,
      })
    },
  )
})

describe('Anthropic Messages recordings', () => {
  it.each([
    ['anthropic-messages-basic.json', false, 17, 0, 0, 137],
    ['anthropic-messages-cache-write.json', false, 1231, 1200, 0, 5],
    ['anthropic-messages-thinking.json', false, 49, 0, 0, 186],
    ['anthropic-messages-tool-use.json', false, 602, 0, 0, 93],
    ['anthropic-messages-web-search.json', false, 27118, 0, 0, 600],
    ['anthropic-messages-stream.sse', true, 17, 0, 0, 158],
    ['anthropic-messages-stream-tool-use.sse', true, 565, 0, 0, 48],
    ['anthropic-messages-stream-cache-read-server-tools.sse', true, 6, 3337, 6289, 198],
    ['anthropic-messages-stream-delta-input-tokens.sse', true, 61, 0, 0, 2],
  ])(
    'should parse %s (stream %s) with input %i, cache write %i, cache read %i, output %i',
    async (name, stream, input, cacheWrite, cacheRead, output) => {
      const result = await message(name, stream)

      expect({
        input: result.usage.input_tokens,
        cacheWrite: result.usage.cache_creation_input_tokens ?? 0,
        cacheRead: result.usage.cache_read_input_tokens ?? 0,
        output: result.usage.output_tokens,
      }).toEqual({ input, cacheWrite, cacheRead, output })
    },
  )

  it('should parse the two billed web searches of anthropic-messages-web-search.json', async () => {
    const result = await message('anthropic-messages-web-search.json', false)

    expect(result.model).toBe('claude-sonnet-4-20250514')
    expect(result.usage.server_tool_use?.web_search_requests).toBe(2)
  })

  it('should rebuild the streamed tool_use block of the stream-tool-use recording', async () => {
    const result = await message('anthropic-messages-stream-tool-use.sse', true)

    expect(result.stop_reason).toBe('tool_use')
    expect(result.content.map((block) => block.type)).toEqual(['text', 'tool_use'])
  })
})

describe('Gemini recordings', () => {
  // @google/genai is not a dependency of the workspace; these check the bodies the server sends.
  it.each([
    [
      'gemini-generate-basic.json',
      { promptTokenCount: 12, candidatesTokenCount: 2, totalTokenCount: 14 },
    ],
    [
      'gemini-generate-thinking.json',
      {
        promptTokenCount: 9,
        candidatesTokenCount: 29,
        thoughtsTokenCount: 282,
        totalTokenCount: 320,
      },
    ],
  ])('should serve %s with its usageMetadata', async (name, usage) => {
    server.enqueue(name)
    const reply = await fetch(`${server.url}/v1beta/models/gemini:generateContent`, {
      method: 'POST',
      body: '{}',
    })

    expect(reply.headers.get('content-type')).toBe('application/json')
    expect((await reply.json()).usageMetadata).toMatchObject(usage)
  })

  it.each([
    [
      'gemini-stream-thinking.sse',
      3,
      {
        promptTokenCount: 9,
        candidatesTokenCount: 23,
        thoughtsTokenCount: 185,
        totalTokenCount: 217,
      },
    ],
    [
      'gemini-stream-tool-call-thinking.sse',
      2,
      {
        promptTokenCount: 29,
        candidatesTokenCount: 15,
        thoughtsTokenCount: 804,
        totalTokenCount: 848,
      },
    ],
  ])(
    'should stream %s as %i events, the last with cumulative usage',
    async (name, count, usage) => {
      server.enqueue(name)
      const reply = await fetch(
        `${server.url}/v1beta/models/gemini:streamGenerateContent?alt=sse`,
        {
          method: 'POST',
          body: '{}',
        },
      )
      const events = (await reply.text())
        .split('\n')
        .filter((line) => line.startsWith('data: '))
        .map((line) => JSON.parse(line.slice(6)) as { usageMetadata: unknown })

      expect(reply.headers.get('content-type')).toBe('text/event-stream')
      expect(events).toHaveLength(count)
      expect(events.at(-1)?.usageMetadata).toMatchObject(usage)
    },
  )
})
