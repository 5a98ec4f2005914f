import { describe, expect, it } from 'vitest'

import { PromptCache } from './prompt-cache'

const text = (length: number, letter = 'x') => letter.repeat(length)

describe('PromptCache.anthropic', () => {
  it('should count every token as plain input when no block carries cache_control', () => {
    const cache = new PromptCache()

    expect(cache.anthropic('claude-sonnet-4-5', [{ text: text(10) }, { text: text(5) }])).toEqual({
      inputTokens: 4,
      cacheReadTokens: 0,
      cacheWriteTokens: 0,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
    })
  })

  it('should write the prefix on first sight and read it the second time', () => {
    const cache = new PromptCache()
    const system = { text: text(4000), cache: '5m' as const }

    const first = cache.anthropic('claude-sonnet-4-5', [system, { text: text(9, 'q') }])
    const second = cache.anthropic('claude-sonnet-4-5', [system, { text: text(13, 'r') }])

    expect(first).toEqual({
      inputTokens: 3,
      cacheReadTokens: 0,
      cacheWriteTokens: 1000,
      cacheWrite5mTokens: 1000,
      cacheWrite1hTokens: 0,
    })
    expect(second).toEqual({
      inputTokens: 4,
      cacheReadTokens: 1000,
      cacheWriteTokens: 0,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
    })
  })

  it('should keep caches apart per model', () => {
    const cache = new PromptCache()
    const blocks = [{ text: text(400), cache: '5m' as const }, { text: 'hi' }]

    cache.anthropic('claude-sonnet-4-5', blocks)

    expect(cache.anthropic('claude-haiku-4-5', blocks).cacheReadTokens).toBe(0)
    expect(cache.anthropic('claude-haiku-4-5', blocks).cacheReadTokens).toBe(100)
  })

  it('should read the longest seen breakpoint and write the rest with each TTL', () => {
    const cache = new PromptCache()
    const tools = { text: text(400, 't'), cache: '1h' as const }

    const first = cache.anthropic('claude-opus-4-1', [tools, { text: text(800, 's'), cache: '5m' }])
    const second = cache.anthropic('claude-opus-4-1', [
      tools,
      { text: text(1200, 'u'), cache: '5m' },
      { text: text(8) },
    ])

    expect(first).toEqual({
      inputTokens: 0,
      cacheReadTokens: 0,
      cacheWriteTokens: 300,
      cacheWrite5mTokens: 200,
      cacheWrite1hTokens: 100,
    })
    expect(second).toEqual({
      inputTokens: 2,
      cacheReadTokens: 100,
      cacheWriteTokens: 300,
      cacheWrite5mTokens: 300,
      cacheWrite1hTokens: 0,
    })
  })
})

describe('PromptCache.openai', () => {
  it('should not cache a prompt under 1,024 tokens, however often it is seen', () => {
    const cache = new PromptCache()
    const blocks = [{ text: text(4000) }, { text: 'hello' }]

    cache.openai('gpt-4o', blocks)

    expect(cache.openai('gpt-4o', blocks)).toEqual({ inputTokens: 1002, cachedTokens: 0 })
  })

  it('should read a seen prefix from 1,024 tokens on, in steps of 128 tokens', () => {
    const cache = new PromptCache()
    const system = { text: text(4400) }

    const first = cache.openai('gpt-4.1', [system, { text: text(40, 'a') }])
    const second = cache.openai('gpt-4.1', [system, { text: text(80, 'b') }])
    const otherModel = cache.openai('gpt-4o', [system, { text: text(80, 'b') }])

    expect(first).toEqual({ inputTokens: 1110, cachedTokens: 0 })
    expect(second).toEqual({ inputTokens: 1120, cachedTokens: 1024 })
    expect(otherModel).toEqual({ inputTokens: 1120, cachedTokens: 0 })
  })
})
