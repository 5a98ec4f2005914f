import { describe, expect, it } from 'vitest'
import {
  backoffMillis,
  classifyFailure,
  ExportAttemptError,
  ExportTimeoutError,
  parseRetryAfter,
} from './retry-policy'

const NOW = Date.parse('2026-03-01T12:00:00Z')
const attempt = (status?: number, retryAfterMillis?: number, networkCode?: string) =>
  new ExportAttemptError('test', status, retryAfterMillis, networkCode)

describe('parseRetryAfter', () => {
  it('should read delay-seconds', () => {
    expect(parseRetryAfter('5', NOW)).toBe(5000)
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0)
  })

  it('should read an HTTP date relative to now, a past date as 0', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:07 GMT', NOW)).toBe(7000)
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:59:00 GMT', NOW)).toBe(0)
  })

  it('should cap both forms at 30 s', () => {
    expect(parseRetryAfter('3600', NOW)).toBe(30_000)
    expect(parseRetryAfter('Sun, 01 Mar 2026 13:00:00 GMT', NOW)).toBe(30_000)
  })

  it('should ignore absent and malformed values', () => {
    expect(parseRetryAfter(undefined, NOW)).toBeUndefined()
    expect(parseRetryAfter('', NOW)).toBeUndefined()
    expect(parseRetryAfter('soon', NOW)).toBeUndefined()
    expect(parseRetryAfter('-5', NOW)).toBeUndefined()
    expect(parseRetryAfter('1.5', NOW)).toBeUndefined()
  })
})

describe('backoffMillis', () => {
  it('should double from 500 ms up to 10 s, half of it jitter', () => {
    const lowest = [1, 2, 3, 4, 5, 6, 7, 30, 1000].map((n) => backoffMillis(n, () => 0))
    const highest = [1, 2, 3, 4, 5, 6, 7, 30, 1000].map((n) => backoffMillis(n, () => 0.999999))
    expect(lowest).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000, 5000, 5000])
    expect(highest).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000, 10_000])
    expect(backoffMillis(3, () => 0.5)).toBe(1500)
  })
})

describe('classifyFailure', () => {
  it('should retry what the collector being down, restarting or overloaded looks like', () => {
    for (const code of ['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT']) {
      expect(classifyFailure(attempt(undefined, undefined, code))).toEqual({
        kind: 'retry',
        retryAfterMillis: undefined,
      })
    }
    expect(classifyFailure(new ExportTimeoutError())).toEqual({
      kind: 'retry',
      retryAfterMillis: undefined,
    })
    for (const status of [429, 502, 503, 504]) {
      expect(classifyFailure(attempt(status, 2000))).toEqual({
        kind: 'retry',
        retryAfterMillis: 2000,
      })
    }
  })

  it('should reject other 4xx, and fail 5xx others and unknown errors, without retrying', () => {
    for (const status of [400, 401, 403, 404, 413, 415]) {
      expect(classifyFailure(attempt(status))).toEqual({ kind: 'rejected', status })
    }
    expect(classifyFailure(attempt(500))).toEqual({ kind: 'failed' })
    expect(classifyFailure(attempt(501))).toEqual({ kind: 'failed' })
    expect(classifyFailure(new Error('the OTLP serializer returned nothing'))).toEqual({
      kind: 'failed',
    })
    expect(classifyFailure(attempt(undefined, undefined, 'ERR_INVALID_URL'))).toEqual({
      kind: 'failed',
    })
    expect(classifyFailure(undefined)).toEqual({ kind: 'failed' })
  })

  it("should read other exporters' errors: a numeric status code, a network code", () => {
    const otlpError = Object.assign(new Error('Service Unavailable'), { code: 503 })
    expect(classifyFailure(otlpError)).toEqual({ kind: 'retry', retryAfterMillis: undefined })
    const badRequest = Object.assign(new Error('Bad Request'), { code: 400 })
    expect(classifyFailure(badRequest)).toEqual({ kind: 'rejected', status: 400 })
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    expect(classifyFailure(refused)).toEqual({ kind: 'retry', retryAfterMillis: undefined })
  })
})
