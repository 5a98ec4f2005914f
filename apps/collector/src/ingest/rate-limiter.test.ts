import { describe, expect, it } from 'vitest'
import { RateLimiter } from './rate-limiter'

describe('RateLimiter', () => {
  it('should allow the burst, then refuse with the seconds until the request fits', () => {
    let now = 0
    const limiter = new RateLimiter(100, 500, () => now)
    expect(limiter.take('key-a', 500)).toBe(0)
    expect(limiter.take('key-a', 250)).toBe(3)
    now = 2_500
    expect(limiter.take('key-a', 250)).toBe(0)
  })

  it('does keep keys apart', () => {
    const limiter = new RateLimiter(10, 10, () => 0)
    expect(limiter.take('flooding', 10)).toBe(0)
    expect(limiter.take('flooding', 1)).toBe(1)
    expect(limiter.take('quiet', 5)).toBe(0)
  })

  it('should let a request larger than the burst through alone on a full bucket', () => {
    const limiter = new RateLimiter(10, 20, () => 0)
    expect(limiter.take('big', 1000)).toBe(0)
    expect(limiter.take('big', 1)).toBe(1)
  })

  it('does nothing when the rate is 0 (off)', () => {
    const limiter = new RateLimiter(0, 0)
    expect(limiter.take('any', 1_000_000)).toBe(0)
  })
})
