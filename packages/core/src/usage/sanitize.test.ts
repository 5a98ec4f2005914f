import { describe, expect, it } from 'vitest'
import { sanitizeUsage } from './sanitize'

describe('sanitizeUsage', () => {
  it('should keep consistent counts unchanged with no notes', () => {
    expect(
      sanitizeUsage({
        inputTokens: 3737,
        cacheReadTokens: 2304,
        outputTokens: 621,
        reasoningTokens: 512,
      }),
    ).toEqual({
      usage: {
        inputTokens: 3737,
        outputTokens: 621,
        cacheReadTokens: 2304,
        cacheWriteTokens: 0,
        cacheWrite1hTokens: 0,
        reasoningTokens: 512,
      },
      notes: [],
    })
  })

  it('does read input as excluding cache when it is below the cache counts', () => {
    const { usage, notes } = sanitizeUsage({
      inputTokens: 100,
      cacheReadTokens: 5000,
      outputTokens: 1,
    })
    expect(usage.inputTokens).toBe(5100)
    expect(notes).toEqual([
      'inputTokens (100) was below cache reads + writes (5000); read as excluding cache, total input 5100',
    ])
  })

  it('does read output as excluding reasoning when reasoning exceeds it', () => {
    const { usage } = sanitizeUsage({ inputTokens: 9, outputTokens: 29, reasoningTokens: 282 })
    expect(usage.outputTokens).toBe(311)
  })

  it('should count negative and non-finite values as 0 and round fractions, with notes', () => {
    const { usage, notes } = sanitizeUsage({
      inputTokens: -5,
      outputTokens: 2.6,
      cacheReadTokens: Number.NaN,
    })
    expect(usage).toMatchObject({ inputTokens: 0, outputTokens: 3, cacheReadTokens: 0 })
    expect(notes).toEqual([
      'inputTokens was -5, expected a non-negative integer; counted as 0',
      'outputTokens was 2.6, expected an integer; rounded to 3',
      'cacheReadTokens was NaN, expected a non-negative integer; counted as 0',
    ])
  })

  it('should raise cache writes to the 1-hour part when the total is smaller', () => {
    const { usage } = sanitizeUsage({
      inputTokens: 5000,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 2000,
    })
    expect(usage.cacheWriteTokens).toBe(2000)
    expect(usage.inputTokens).toBe(5000)
  })

  it('should count a corrupt count of 2^53 or more as 0, with a note', () => {
    const { usage, notes } = sanitizeUsage({ inputTokens: 1e30, outputTokens: 5 })
    expect(usage).toMatchObject({ inputTokens: 0, outputTokens: 5 })
    expect(notes).toEqual(['inputTokens was 1e+30, expected a count below 2^53; counted as 0'])
  })
})
