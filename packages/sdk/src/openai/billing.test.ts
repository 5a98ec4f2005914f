import { describe, expect, it } from 'vitest'
import { billing } from './billing'

describe('billing', () => {
  it('should read the service tier and OpenRouter reported cost of a chat completion', () => {
    expect(billing('flex', { prompt_tokens: 1, completion_tokens: 1 })).toEqual({
      serviceTier: 'flex',
    })
    expect(billing(undefined, { prompt_tokens: 100, completion_tokens: 10, cost: 0.0054 })).toEqual(
      {
        reportedCostUsd: '0.005400000000',
      },
    )
    expect(billing(null, undefined)).toEqual({})
    expect(billing('default', undefined)).toEqual({})
  })
})
