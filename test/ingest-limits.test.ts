import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOtlpJsonBody, toUnixNano, type JsonSpanInput } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

/** Limits set low so that each can be crossed by a small request. */
let collector: TestCollector

beforeAll(async () => {
  collector = await createTestCollector({
    env: {
      AGENTMETER_MAX_SPANS_PER_REQUEST: '5',
      AGENTMETER_MAX_ATTRIBUTES_PER_SPAN: '10',
      AGENTMETER_MAX_ATTRIBUTE_CHARS: '100',
      AGENTMETER_RATE_LIMIT_SPANS_PER_SECOND: '2',
      AGENTMETER_RATE_LIMIT_BURST: '8',
    },
  })
})

afterAll(async () => {
  await collector?.close()
})

function span(index: number, attributes: JsonSpanInput['attributes'] = {}): JsonSpanInput {
  const start = new Date(Date.now() - 10_000)
  return {
    traceId: 'ab'.repeat(16),
    spanId: (index + 1).toString(16).padStart(16, '0'),
    name: `work ${index}`,
    startTimeUnixNano: toUnixNano(start),
    endTimeUnixNano: toUnixNano(new Date(start.getTime() + 5)),
    attributes,
  }
}

function post(spans: JsonSpanInput[]) {
  return fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
    body: createOtlpJsonBody(spans),
  })
}

describe('ingest limits', () => {
  it('should refuse a request with more spans than allowed, naming the limit', async () => {
    const response = await post([0, 1, 2, 3, 4, 5].map((index) => span(index)))
    expect(response.status).toBe(413)
    expect(((await response.json()) as { message: string }).message).toBe(
      'request holds 6 spans; the limit is 5 per request (AGENTMETER_MAX_SPANS_PER_REQUEST); send smaller batches',
    )
  })

  it('should reject only the spans that break a per-span limit', async () => {
    const many = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`attr.${i}`, i]))
    const response = await post([
      span(10),
      span(11, many),
      span(12, { 'big.value': 'x'.repeat(101) }),
    ])
    expect(response.status).toBe(200)
    const body = (await response.json()) as {
      partialSuccess: { rejectedSpans: string; errorMessage: string }
    }
    expect(body.partialSuccess.rejectedSpans).toBe('2')
    expect(body.partialSuccess.errorMessage).toBe(
      '2 span(s) rejected: span 000000000000000c has 11 attributes; the limit is 10 (AGENTMETER_MAX_ATTRIBUTES_PER_SPAN); span 000000000000000d attribute big.value holds 101 characters; the limit is 100 (AGENTMETER_MAX_ATTRIBUTE_CHARS)',
    )
  })

  it('should answer 429 with Retry-After when one key sends more than its rate', async () => {
    // Of the burst of 8, the 3 spans above took 3 (a refused request takes none); 5 more spend
    // it, and the next 3 must wait at 2 spans a second.
    expect((await post([20, 21, 22, 23, 24].map((index) => span(index)))).status).toBe(200)
    const response = await post([25, 26, 27].map((index) => span(index)))
    expect(response.status).toBe(429)
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(((await response.json()) as { message: string }).message).toMatch(
      /^this key sent more spans than its rate limit allows; retry after \d+ s$/,
    )
  })
})

describe('dashboard security headers', () => {
  it('should serve the dashboard with a strict content security policy', async () => {
    const response = await fetch(`${collector.url}/`)
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'self'; script-src 'self'; script-src-attr 'none'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-src 'none'; worker-src 'none'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; require-trusted-types-for 'script'; trusted-types 'none'",
    )
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  })
})
