import { describe, expect, it } from 'vitest'
import { ZERO_USAGE, type Usage } from '../usage'
import { mapOpenAIChatUsage, mapOpenAIResponsesUsage, mapOpenAIUsage } from './openai'
import { readJsonRecording, readSseRecording } from './test-recordings'

const usage = (counts: Partial<Usage>): Usage => ({ ...ZERO_USAGE, ...counts })

/** The usage of the last chunk that has one, as the SDK reads a chat stream. */
function lastChunkUsage(name: string): unknown {
  const chunks = readSseRecording(name).filter((chunk) => chunk.usage)
  return chunks.at(-1)?.usage
}

describe('mapOpenAIChatUsage', () => {
  it.each([
    ['openai-chat-basic.json', usage({ inputTokens: 22, outputTokens: 3 })],
    ['openai-chat-tool-calls-parallel.json', usage({ inputTokens: 57, outputTokens: 46 })],
    ['openai-chat-tool-result-followup.json', usage({ inputTokens: 125, outputTokens: 26 })],
    ['openai-chat-legacy-function-call.json', usage({ inputTokens: 82, outputTokens: 16 })],
    [
      'xai-chat-tool-call-cached-reasoning.json',
      usage({ inputTokens: 307, cacheReadTokens: 244, outputTokens: 281, reasoningTokens: 255 }),
    ],
  ])('should map the usage of %s exactly', (name, expected) => {
    expect(mapOpenAIChatUsage(readJsonRecording(name).usage)?.usage).toEqual(expected)
  })

  it.each([
    ['openai-chat-stream-include-usage.sse', usage({ inputTokens: 22, outputTokens: 4 })],
    [
      'azure-openai-chat-stream-reasoning-usage.sse',
      usage({ inputTokens: 15, outputTokens: 78, reasoningTokens: 64 }),
    ],
  ])('should map the final chunk usage of %s exactly', (name, expected) => {
    const mapped = mapOpenAIChatUsage(lastChunkUsage(name))
    expect(mapped).toEqual({ usage: expected, notes: [] })
  })

  it.each([
    'openai-chat-stream-no-usage.sse',
    'openai-chat-stream-parallel-tool-calls-no-usage.sse',
  ])('should give null (unknown) for %s, which has no usage chunk', (name) => {
    expect(lastChunkUsage(name)).toBeUndefined()
    expect(mapOpenAIChatUsage(lastChunkUsage(name))).toBeNull()
  })

  it('should note that xAI reasoning is outside completion_tokens', () => {
    const mapped = mapOpenAIChatUsage(
      readJsonRecording('xai-chat-tool-call-cached-reasoning.json').usage,
    )
    expect(mapped?.notes).toEqual([
      'total_tokens (588) = input + output + reasoning: reasoning read as outside the output, total output 281',
    ])
  })

  it('should keep reasoning inside completion_tokens when the total says so', () => {
    const mapped = mapOpenAIChatUsage({
      prompt_tokens: 10,
      completion_tokens: 50,
      total_tokens: 60,
      completion_tokens_details: { reasoning_tokens: 40 },
    })
    expect(mapped?.usage).toEqual(usage({ inputTokens: 10, outputTokens: 50, reasoningTokens: 40 }))
  })

  it('should read an OpenRouter cache write as part of the prompt', () => {
    const mapped = mapOpenAIChatUsage({
      prompt_tokens: 1000,
      completion_tokens: 5,
      total_tokens: 1005,
      prompt_tokens_details: { cached_tokens: 200, cache_write_tokens: 700 },
    })
    expect(mapped?.usage).toEqual(
      usage({ inputTokens: 1000, outputTokens: 5, cacheReadTokens: 200, cacheWriteTokens: 700 }),
    )
  })

  it.each([null, undefined, 'usage', 42, [], {}])('should give null for %j', (raw) => {
    expect(mapOpenAIChatUsage(raw)).toBeNull()
  })

  it('should repair negative, fractional and non-numeric counts with notes', () => {
    const mapped = mapOpenAIChatUsage({
      prompt_tokens: -3,
      completion_tokens: 4.6,
      total_tokens: '9',
      prompt_tokens_details: { cached_tokens: Number.NaN },
    })
    expect(mapped).toEqual({
      usage: usage({ outputTokens: 5 }),
      notes: [
        'prompt_tokens was -3, expected a non-negative integer; counted as 0',
        'completion_tokens was 4.6, expected an integer; rounded to 5',
        'total_tokens was "9", expected a number; ignored',
        'cached_tokens was NaN, expected a non-negative integer; counted as 0',
      ],
    })
  })

  it('should count a missing prompt_tokens as 0 with a note', () => {
    expect(mapOpenAIChatUsage({ completion_tokens: 7 })).toEqual({
      usage: usage({ outputTokens: 7 }),
      notes: ['prompt_tokens was missing; counted as 0'],
    })
  })

  it('should raise the prompt when cached tokens exceed it', () => {
    const mapped = mapOpenAIChatUsage({
      prompt_tokens: 10,
      completion_tokens: 1,
      prompt_tokens_details: { cached_tokens: 12 },
    })
    expect(mapped?.usage).toEqual(usage({ inputTokens: 22, outputTokens: 1, cacheReadTokens: 12 }))
    expect(mapped?.notes).toHaveLength(1)
  })
})

describe('mapOpenAIResponsesUsage', () => {
  it.each([
    ['openai-responses-basic.json', usage({ inputTokens: 14, outputTokens: 26 })],
    [
      'openai-responses-cached-tokens.json',
      usage({ inputTokens: 14, cacheReadTokens: 13, outputTokens: 26 }),
    ],
    [
      'openai-responses-reasoning.json',
      usage({ inputTokens: 865, outputTokens: 163, reasoningTokens: 128 }),
    ],
  ])('should map the usage of %s exactly', (name, expected) => {
    expect(mapOpenAIResponsesUsage(readJsonRecording(name).usage)).toEqual({
      usage: expected,
      notes: [],
    })
  })

  it.each([
    [
      'openai-responses-stream-file-search-cached-reasoning.sse',
      usage({ inputTokens: 3737, cacheReadTokens: 2304, outputTokens: 621, reasoningTokens: 512 }),
    ],
    [
      'openai-responses-stream-local-shell-tool.sse',
      usage({ inputTokens: 407, outputTokens: 151, reasoningTokens: 128 }),
    ],
  ])('should map the response.completed usage of %s exactly', (name, expected) => {
    const events = readSseRecording(name)
    const withUsage = events.filter((event) => (event.response as { usage?: unknown })?.usage)
    expect(withUsage.map((event) => event.type)).toEqual(['response.completed'])
    const completed = withUsage[0]?.response as { usage: unknown }
    expect(mapOpenAIResponsesUsage(completed.usage)?.usage).toEqual(expected)
  })

  it('should give null when there is no usage object', () => {
    expect(mapOpenAIResponsesUsage(null)).toBeNull()
  })
})

describe('mapOpenAIUsage', () => {
  it('should tell the Responses shape from the Chat Completions shape', () => {
    expect(mapOpenAIUsage({ input_tokens: 3, output_tokens: 2 })?.usage).toEqual(
      usage({ inputTokens: 3, outputTokens: 2 }),
    )
    expect(mapOpenAIUsage({ prompt_tokens: 4, completion_tokens: 1 })?.usage).toEqual(
      usage({ inputTokens: 4, outputTokens: 1 }),
    )
    expect(mapOpenAIUsage(undefined)).toBeNull()
  })
})
