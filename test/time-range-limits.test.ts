import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repriceCommand } from '../apps/collector/src/cli/reprice-command'
import { listReadRoutes, routeUrl } from './support/api-routes'
import { createOtlpJsonBody, toUnixNano, type JsonSpanInput } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Times outside what ClickHouse's DateTime64(9) holds (1900-01-01 to 2262-04-11 23:47:16.854):
 * every route and CLI option that takes a time refuses them with a 400 naming the parameter, the
 * value and the accepted range, where ClickHouse answered DECIMAL_OVERFLOW (a 500) before; the
 * bounds themselves are answered. Ingest rejects a span with such a time on its own.
 */
const TRACE = 'c3'.repeat(16)
const EARLIEST = '1900-01-01T00:00:00Z'
const LATEST = '2262-04-11T23:47:16.854Z'
const ACCEPTED = 'from 1900-01-01T00:00:00.000Z to 2262-04-11T23:47:16.854Z (what the store holds)'
const refusal = (field: string, value: string) =>
  `${field} must be a time ${ACCEPTED}, got ${JSON.stringify(value)}`

let collector: TestCollector

async function call(
  method: 'GET' | 'POST',
  url: string,
  body?: unknown,
): Promise<{ status: number; body: { error?: string } }> {
  const response = await fetch(`${collector.url}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${collector.apiKey}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return { status: response.status, body: (await response.json()) as { error?: string } }
}

function span(spanId: string, start: string, end: string): JsonSpanInput {
  return {
    traceId: TRACE,
    spanId,
    name: 'work',
    startTimeUnixNano: start,
    endTimeUnixNano: end,
    attributes: { 'agentmeter.task.name': 'limits' },
  }
}

beforeAll(async () => {
  collector = await createTestCollector()
})

afterAll(async () => {
  await collector?.close()
})

describe('times outside what the store holds', { timeout: 180_000 }, () => {
  it('should refuse them on every read route with a time range, and answer the bounds', async () => {
    const routes = (await listReadRoutes(collector.url)).filter((route) =>
      route.params.some((param) => param.name === 'from'),
    )
    // The task list, the task detail, the costs, Explore, hotspots, recommendations, spans...
    expect(routes.length).toBeGreaterThanOrEqual(8)
    for (const route of routes) {
      const required: Record<string, string> = {}
      for (const param of route.params) {
        if (param.in === 'query' && param.required && param.schema.enum) {
          required[param.name] = param.schema.enum[0]!
        }
      }
      const url = (query: Record<string, string>) =>
        routeUrl(route, { taskId: TRACE, spanId: TRACE.slice(0, 16) }, { ...required, ...query })
      for (const [field, value] of [
        ['from', '1800-01-01T00:00:00Z'],
        ['to', '2400-01-01T00:00:00Z'],
        ['from', '1899-12-31T23:59:59.999Z'],
        ['to', '2262-04-11T23:47:16.855Z'],
      ] as const) {
        const answer = await call('GET', url({ [field]: value }))
        expect(answer, `${route.path} ${field}=${value}`).toEqual({
          status: 400,
          body: { error: refusal(field, value) },
        })
      }
      // The widest range the store holds is a valid range (a task or span id may be unknown).
      const widest = await call('GET', url({ from: EARLIEST, to: LATEST }))
      expect([200, 404], `${route.path} widest: ${JSON.stringify(widest.body)}`).toContain(
        widest.status,
      )
    }
  })

  it('should refuse them in the bodies of the reprice and the price book', async () => {
    const reprice = await call('POST', '/api/v1/reprice', {
      from: '1800-01-01T00:00:00Z',
      to: '2026-12-01T00:00:00Z',
    })
    expect(reprice).toEqual({
      status: 400,
      body: { error: refusal('from', '1800-01-01T00:00:00Z') },
    })
    const price = await call('POST', '/api/v1/prices', {
      kind: 'model',
      provider: 'openai',
      model: 'gpt-future',
      inputMtok: '1',
      outputMtok: '2',
      effectiveFrom: '2400-01-01T00:00:00Z',
    })
    expect(price).toEqual({
      status: 400,
      body: { error: refusal('effectiveFrom', '2400-01-01T00:00:00Z') },
    })
  })

  it('should refuse them as options of the reprice command before touching a store', async () => {
    await expect(
      repriceCommand({
        from: '2026-12-01T00:00:00Z',
        to: '2400-01-01T00:00:00Z',
        json: true,
        dataDir: '/nonexistent/agentmeter-time-range-limits',
      }),
    ).rejects.toThrow(refusal('to', '2400-01-01T00:00:00Z'))
  })

  it('should reject a span with a time the store cannot hold on its own, keeping the rest', async () => {
    const start = new Date(Date.UTC(2026, 10, 20, 9, 0))
    const good = toUnixNano(start)
    const goodEnd = toUnixNano(new Date(start.getTime() + 1000))
    // 2300-01-01T00:00:00Z in nanoseconds: past the last instant of DateTime64(9).
    const year2300 = (BigInt(Date.UTC(2300, 0, 1)) * 1_000_000n).toString()
    const response = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
      body: createOtlpJsonBody([
        span('00000000000000a1', good, goodEnd),
        span('00000000000000a2', year2300, year2300),
        span('00000000000000a3', good, year2300),
        span('00000000000000a4', '-5', goodEnd),
        span('00000000000000a5', '0', goodEnd),
      ]),
    })
    expect(response.status).toBe(200)
    const body = (await response.json()) as {
      partialSuccess: { rejectedSpans: string; errorMessage: string }
    }
    expect(body.partialSuccess.rejectedSpans).toBe('3')
    // The project's rule (README, Durable ingest): the span is rejected on its own, with the
    // field and its value; a time of 0 (1970) is a time the store holds.
    const outside = (id: string, field: string) =>
      `span ${id} could not be normalized: ${field} ${year2300} ns is outside what is stored (0 to 9223372036854775807 ns since the epoch, up to 2262-04-11)`
    expect(body.partialSuccess.errorMessage).toBe(
      [
        '3 span(s) rejected: startTimeUnixNano "-5" is not a uint64 (expected decimal text or an integer)',
        outside('00000000000000a2', 'startTimeUnixNano'),
        outside('00000000000000a3', 'endTimeUnixNano'),
      ].join('; '),
    )
    const stored = await collector.client.query({
      query: `SELECT span_id, toString(start_time) AS start FROM spans FINAL
        WHERE trace_id = {trace:String} ORDER BY span_id`,
      query_params: { trace: TRACE },
      format: 'JSONEachRow',
    })
    expect(await stored.json()).toEqual([
      { span_id: '00000000000000a1', start: '2026-11-20 09:00:00.000000000' },
      { span_id: '00000000000000a5', start: '1970-01-01 00:00:00.000000000' },
    ])
  })
})
