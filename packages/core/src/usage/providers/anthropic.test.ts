import { describe, expect, it } from 'vitest'
import { ZERO_USAGE, type Usage } from '../usage'
import {
  mapAnthropicUsage,
  mergeAnthropicStreamUsage,
  mergeAnthropicStreamUsageInto,
} from './anthropic'
import { readJsonRecording, readSseRecording } from './test-recordings'

const usage = (counts: Partial<Usage>): Usage => ({ ...ZERO_USAGE, ...counts })

/** Folds a stream's events the way the SDK does: message_start, then each message_delta. */
function streamUsage(name: string): Record<string, unknown> | null {
  let seen: Record<string, unknown> | null = null
  for (const event of readSseRecording(name)) {
    if (event.type === 'message_start') {
      seen = mergeAnthropicStreamUsage(seen, (event.message as { usage?: unknown }).usage)
    }
    if (event.type === 'message_delta') seen = mergeAnthropicStreamUsage(seen, event.usage)
  }
  return seen
}

describe('mapAnthropicUsage', () => {
  it.each([
    ['anthropic-messages-basic.json', usage({ inputTokens: 17, outputTokens: 137 })],
    // input_tokens (1231) excludes the 1200 written to the cache: the total read is 2431.
    [
      'anthropic-messages-cache-write.json',
      usage({ inputTokens: 2431, cacheWriteTokens: 1200, outputTokens: 5 }),
    ],
    ['anthropic-messages-thinking.json', usage({ inputTokens: 49, outputTokens: 186 })],
    ['anthropic-messages-tool-use.json', usage({ inputTokens: 602, outputTokens: 93 })],
    ['anthropic-messages-web-search.json', usage({ inputTokens: 27118, outputTokens: 600 })],
  ])('should map the usage of %s exactly', (name, expected) => {
    expect(mapAnthropicUsage(readJsonRecording(name).usage)).toEqual({
      usage: expected,
      notes: [],
    })
  })

  it('should clamp the 1-hour cache writes to the cache-write total', () => {
    const mapped = mapAnthropicUsage({
      input_tokens: 5,
      cache_creation_input_tokens: 100,
      cache_creation: { ephemeral_1h_input_tokens: 150, ephemeral_5m_input_tokens: 0 },
      output_tokens: 1,
    })
    expect(mapped).toEqual({
      usage: usage({
        inputTokens: 105,
        cacheWriteTokens: 100,
        cacheWrite1hTokens: 100,
        outputTokens: 1,
      }),
      notes: [
        'cache_creation.ephemeral_1h_input_tokens (150) exceeded cache_creation_input_tokens (100); clamped to it',
      ],
    })
  })

  it('should add cache reads and writes to the uncached input', () => {
    const mapped = mapAnthropicUsage({
      input_tokens: 10,
      cache_creation_input_tokens: 30,
      cache_read_input_tokens: 60,
      cache_creation: { ephemeral_1h_input_tokens: 20 },
      output_tokens: 7,
    })
    expect(mapped?.usage).toEqual({
      inputTokens: 100,
      outputTokens: 7,
      cacheReadTokens: 60,
      cacheWriteTokens: 30,
      cacheWrite1hTokens: 20,
      reasoningTokens: 0,
    })
  })

  it.each([null, undefined, 'x', {}, { service_tier: 'standard' }])(
    'should give null for %j',
    (raw) => {
      expect(mapAnthropicUsage(raw)).toBeNull()
    },
  )

  it('should count negative numbers as 0 before adding them up', () => {
    const mapped = mapAnthropicUsage({
      input_tokens: -4,
      cache_read_input_tokens: 6,
      output_tokens: 2,
    })
    expect(mapped).toEqual({
      usage: usage({ inputTokens: 6, cacheReadTokens: 6, outputTokens: 2 }),
      notes: ['input_tokens was -4, expected a non-negative integer; counted as 0'],
    })
  })
})

describe('mergeAnthropicStreamUsage', () => {
  it('should keep the message_start input when message_delta has only output', () => {
    const mapped = mapAnthropicUsage(streamUsage('anthropic-messages-stream.sse'))
    expect(mapped?.usage).toEqual(usage({ inputTokens: 17, outputTokens: 158 }))
  })

  it('should let a later cumulative input win', () => {
    const mapped = mapAnthropicUsage(
      streamUsage('anthropic-messages-stream-delta-input-tokens.sse'),
    )
    expect(mapped?.usage).toEqual(usage({ inputTokens: 61, outputTokens: 2 }))
  })

  it('should take cache counts from the final message_delta', () => {
    const mapped = mapAnthropicUsage(
      streamUsage('anthropic-messages-stream-cache-read-server-tools.sse'),
    )
    expect(mapped?.usage).toEqual(
      usage({
        inputTokens: 9632,
        cacheReadTokens: 6289,
        cacheWriteTokens: 3337,
        outputTokens: 198,
      }),
    )
  })

  it('should map the streamed tool-use recording exactly', () => {
    const mapped = mapAnthropicUsage(streamUsage('anthropic-messages-stream-tool-use.sse'))
    expect(mapped?.usage).toEqual(usage({ inputTokens: 565, outputTokens: 48 }))
  })

  it('should ignore null fields and non-objects', () => {
    const start = mergeAnthropicStreamUsage(null, { input_tokens: 9, output_tokens: 1 })
    expect(mergeAnthropicStreamUsage(start, { input_tokens: null, output_tokens: 3 })).toEqual({
      input_tokens: 9,
      output_tokens: 3,
    })
    expect(mergeAnthropicStreamUsage(start, 'nope')).toBe(start)
    expect(mergeAnthropicStreamUsage(null, undefined)).toBeNull()
  })
})

describe('mergeAnthropicStreamUsageInto', () => {
  it('should copy the first usage and fold later ones into that copy', () => {
    const start = { input_tokens: 9, output_tokens: 1, cache_read_input_tokens: null }
    const seen = mergeAnthropicStreamUsageInto(null, start)
    expect(seen).toEqual({ input_tokens: 9, output_tokens: 1 })
    expect(seen).not.toBe(start)

    // The MessageStream helper changes the message_start usage it was given; the copy stays.
    start.output_tokens = 99
    const folded = mergeAnthropicStreamUsageInto(seen, { output_tokens: 3, input_tokens: null })
    expect(folded).toBe(seen)
    expect(folded).toEqual({ input_tokens: 9, output_tokens: 3 })
  })

  it('should give what mergeAnthropicStreamUsage gives, and leave the target on a non-object', () => {
    const updates = [{ input_tokens: 17, output_tokens: 1 }, { output_tokens: 158 }]
    let merged: Record<string, unknown> | null = null
    let folded: Record<string, unknown> | null = null
    for (const update of updates) {
      merged = mergeAnthropicStreamUsage(merged, update)
      folded = mergeAnthropicStreamUsageInto(folded, update)
    }
    expect(folded).toEqual(merged)
    expect(mergeAnthropicStreamUsageInto(folded, 'nope')).toBe(folded)
    expect(mergeAnthropicStreamUsageInto(null, undefined)).toBeNull()
  })
})
