import { describe, expect, it } from 'vitest'
import { ZERO_USAGE, type Usage } from '../usage'
import { mapGeminiStreamUsage, mapGeminiUsage } from './gemini'
import { readJsonRecording, readSseRecording } from './test-recordings'

const usage = (counts: Partial<Usage>): Usage => ({ ...ZERO_USAGE, ...counts })

describe('mapGeminiUsage', () => {
  it.each([
    ['gemini-generate-basic.json', usage({ inputTokens: 12, outputTokens: 2 })],
    [
      'gemini-generate-thinking.json',
      usage({ inputTokens: 9, outputTokens: 311, reasoningTokens: 282 }),
    ],
  ])('should map the usage of %s exactly', (name, expected) => {
    expect(mapGeminiUsage(readJsonRecording(name).usageMetadata)).toEqual({
      usage: expected,
      notes: [],
    })
  })

  it('should read cached content as part of the prompt and tool-use prompt as extra input', () => {
    const mapped = mapGeminiUsage({
      promptTokenCount: 100,
      cachedContentTokenCount: 80,
      toolUsePromptTokenCount: 10,
      candidatesTokenCount: 4,
      totalTokenCount: 114,
    })
    expect(mapped).toEqual({
      usage: usage({ inputTokens: 110, cacheReadTokens: 80, outputTokens: 4 }),
      notes: [],
    })
  })

  it('should count omitted zero fields as 0', () => {
    expect(mapGeminiUsage({ promptTokenCount: 5, totalTokenCount: 5 })).toEqual({
      usage: usage({ inputTokens: 5 }),
      notes: [],
    })
  })

  it('should note a total that does not add up', () => {
    expect(
      mapGeminiUsage({ promptTokenCount: 5, candidatesTokenCount: 1, totalTokenCount: 9 })?.notes,
    ).toEqual(['totalTokenCount (9) differs from input + output (6); the parts were kept'])
  })

  it.each([null, undefined, [], {}, { promptTokensDetails: [] }])(
    'should give null for %j',
    (raw) => {
      expect(mapGeminiUsage(raw)).toBeNull()
    },
  )
})

describe('mapGeminiStreamUsage', () => {
  it('should take the last chunk of a thinking stream, never the sum', () => {
    expect(mapGeminiStreamUsage(readSseRecording('gemini-stream-thinking.sse'))?.usage).toEqual(
      usage({ inputTokens: 9, outputTokens: 208, reasoningTokens: 185 }),
    )
  })

  it('should map the streamed tool call with thinking exactly', () => {
    const chunks = readSseRecording('gemini-stream-tool-call-thinking.sse')
    expect(mapGeminiStreamUsage(chunks)?.usage).toEqual(
      usage({ inputTokens: 29, outputTokens: 819, reasoningTokens: 804 }),
    )
  })

  it('should skip trailing chunks without usage and give null when none has it', () => {
    const chunks = [{ usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2 } }, {}]
    expect(mapGeminiStreamUsage(chunks)?.usage).toEqual(usage({ inputTokens: 3, outputTokens: 2 }))
    expect(mapGeminiStreamUsage([{}, { candidates: [] }])).toBeNull()
  })
})
