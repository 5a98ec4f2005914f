import { SCHEMA_VERSION } from '@agentmeter/collector'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOtlpJsonBody, toUnixNano } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

let collector: TestCollector

beforeAll(async () => {
  collector = await createTestCollector()
})

afterAll(async () => {
  await collector?.close()
})

function post(body: string | Uint8Array<ArrayBuffer>, headers: Record<string, string>) {
  return fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${collector.apiKey}`, ...headers },
    body,
  })
}

describe('OTLP/JSON ingest', () => {
  it('should make a gpt-4o call of 1000 in / 500 out cost exactly 0.0075 USD on its task', async () => {
    const start = new Date(Date.now() - 60_000)
    const traceId = 'aa'.repeat(16)
    const response = await post(
      createOtlpJsonBody([
        {
          traceId,
          spanId: '1111111111111111',
          name: 'chat gpt-4o',
          startTimeUnixNano: toUnixNano(start),
          endTimeUnixNano: toUnixNano(new Date(start.getTime() + 1200)),
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'gpt-4o',
            'gen_ai.usage.input_tokens': 1000,
            'gen_ai.usage.output_tokens': 500,
          },
        },
      ]),
      { 'content-type': 'application/json' },
    )
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({})

    const { status, body } = await collector.api<{ tasks: Array<Record<string, unknown>> }>(
      '/api/v1/tasks',
    )
    expect(status).toBe(200)
    const task = body.tasks.find((candidate) => candidate.taskId === traceId)
    expect(task).toMatchObject({
      taskId: traceId,
      name: 'chat gpt-4o',
      llmCalls: 1,
      toolCalls: 0,
      unpricedCalls: 0,
      inputTokens: 1000,
      outputTokens: 500,
    })
    expect(Math.abs((task!.costUsd as number) - 0.0075)).toBeLessThan(1e-9)
  })

  it('should count a span delivered twice once', async () => {
    const start = new Date(Date.now() - 30_000)
    const traceId = 'bb'.repeat(16)
    const body = createOtlpJsonBody([
      {
        traceId,
        spanId: '2222222222222222',
        name: 'chat gpt-4o-mini',
        startTimeUnixNano: toUnixNano(start),
        endTimeUnixNano: toUnixNano(new Date(start.getTime() + 500)),
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o-mini',
          'gen_ai.usage.input_tokens': 22,
          'gen_ai.usage.output_tokens': 3,
        },
      },
    ])
    expect((await post(body, { 'content-type': 'application/json' })).status).toBe(200)
    expect((await post(body, { 'content-type': 'application/json' })).status).toBe(200)

    const { body: detail } = await collector.api<{
      spans: unknown[]
      task: { costUsd: number; inputTokens: number }
    }>(`/api/v1/tasks/${traceId}`)
    expect(detail.spans).toHaveLength(1)
    expect(detail.task.inputTokens).toBe(22)
    // 22 × $0.15/M + 3 × $0.60/M
    expect(Math.abs(detail.task.costUsd - 0.0000051)).toBeLessThan(1e-12)
  })

  it('should store a model nobody prices as unpriced, never $0', async () => {
    const start = new Date(Date.now() - 20_000)
    const traceId = 'cc'.repeat(16)
    await post(
      createOtlpJsonBody([
        {
          traceId,
          spanId: '3333333333333333',
          name: 'chat acme-9000',
          startTimeUnixNano: toUnixNano(start),
          endTimeUnixNano: toUnixNano(new Date(start.getTime() + 500)),
          attributes: {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'acme',
            'gen_ai.request.model': 'acme-9000',
            'gen_ai.usage.input_tokens': 100,
            'gen_ai.usage.output_tokens': 100,
          },
        },
      ]),
      { 'content-type': 'application/json' },
    )
    const { body } = await collector.api<{
      task: { costUsd: number | null; unpricedCalls: number }
      spans: Array<{ priced: boolean; costUsd: number | null; priceReason: string }>
    }>(`/api/v1/tasks/${traceId}`)
    expect(body.task).toMatchObject({ costUsd: null, unpricedCalls: 1 })
    expect(body.spans[0]).toMatchObject({
      priced: false,
      costUsd: null,
      priceReason: 'model not in price catalog: acme-9000',
    })
  })
})

describe('malformed OTLP bodies', () => {
  it('should answer 400 naming the problem for invalid JSON, and keep serving', async () => {
    const response = await post('{"resourceSpans": [', { 'content-type': 'application/json' })
    expect(response.status).toBe(400)
    const body = (await response.json()) as { message: string }
    expect(body.message).toMatch(/JSON/i)
    expect((await fetch(`${collector.url}/healthz`)).status).toBe(200)
  })

  it('should answer 400 for a truncated protobuf body', async () => {
    // Field 1 (resource_spans), length-delimited, declares 50 bytes but carries 3.
    const response = await post(new Uint8Array([0x0a, 0x32, 0x0a, 0x01, 0x00]), {
      'content-type': 'application/x-protobuf',
    })
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toBe('application/x-protobuf')
    expect((await fetch(`${collector.url}/healthz`)).status).toBe(200)
  })

  it('should answer 415 for a content type other than protobuf or JSON', async () => {
    const response = await post('hello', { 'content-type': 'text/plain' })
    expect(response.status).toBe(415)
    const body = (await response.json()) as { message: string }
    expect(body.message).toContain('text/plain')
  })

  it('should answer 401 without a valid key', async () => {
    const response = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer nope' },
      body: '{}',
    })
    expect(response.status).toBe(401)
    const api = await fetch(`${collector.url}/api/v1/tasks`)
    expect(api.status).toBe(401)
  })
})

describe('operations endpoints', () => {
  it('should count accepted spans and rejected requests in /metrics', async () => {
    const text = await (await fetch(`${collector.url}/metrics`)).text()
    // Earlier tests in this file stored 4 spans (one posted twice) and sent one 400 of each kind.
    expect(text).toContain('agentmeter_spans_accepted_total 4')
    expect(text).toMatch(/agentmeter_ingest_requests_total\{status="400"\} 2/)
    expect(text).toMatch(/agentmeter_ingest_requests_total\{status="415"\} 1/)
  })

  it('should report ready when the store answers', async () => {
    const response = await fetch(`${collector.url}/readyz`)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      status: 'ready',
      store: { mode: 'embedded', reachable: true },
      schema: { applied: SCHEMA_VERSION, expected: SCHEMA_VERSION, pending: [] },
      spool: { batches: 0, bytes: 0, quarantined: { batches: 0, bytes: 0 } },
    })
  })

  it('should echo a sane request id and mint one otherwise', async () => {
    const given = await fetch(`${collector.url}/healthz`, { headers: { 'x-request-id': 'req-42' } })
    expect(given.headers.get('x-request-id')).toBe('req-42')
    const minted = await fetch(`${collector.url}/healthz`, {
      headers: { 'x-request-id': 'bad id!' },
    })
    expect(minted.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })
})
