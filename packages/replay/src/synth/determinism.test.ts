import { describe, expect, it } from 'vitest'

import { canonicalJson, createRandom, requestSeed } from './determinism'

describe('canonicalJson', () => {
  it('should sort object keys at every depth and keep array order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }, 'x'] })).toBe(
      '{"a":[{"c":3,"d":2},"x"],"b":1}',
    )
  })
})

describe('requestSeed', () => {
  it('should ignore stream switches and key order but not the prompt', () => {
    const seed = requestSeed({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })

    expect(
      requestSeed({
        messages: [{ content: 'hi', role: 'user' }],
        model: 'gpt-4o',
        stream: true,
        stream_options: { include_usage: true },
      }),
    ).toBe(seed)
    expect(requestSeed({ model: 'gpt-4o', messages: [{ role: 'user', content: 'ho' }] })).not.toBe(
      seed,
    )
  })
})

describe('createRandom', () => {
  it('should repeat the same sequence for the same seed, within [0, 1)', () => {
    const a = createRandom('deadbeef')
    const b = createRandom('deadbeef')
    const first = [a(), a(), a()]

    expect([b(), b(), b()]).toEqual(first)
    expect(first.every((value) => value >= 0 && value < 1)).toBe(true)
    expect(new Set(first).size).toBe(3)
  })
})
