import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOtlpJsonBody, toUnixNano } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Two projects on one collector: project A (the test key) and project B (created through the
 * admin API). A's key must neither read nor change anything of B's, by any route, filter or id;
 * another project's ids answer 404, exactly like ids that do not exist.
 */
const ADMIN_TOKEN = 'tenant-test-admin-token-0123456789'
let collector: TestCollector
let keyB = ''
const taskB = 'b0'.repeat(16)
let ruleB = ''
let priceB = ''

async function call(key: string, method: string, route: string, body?: unknown) {
  const response = await fetch(`${collector.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

beforeAll(async () => {
  collector = await createTestCollector({
    env: { AGENTMETER_ADMIN_TOKEN: ADMIN_TOKEN, AGENTMETER_ALLOW_PRIVATE_WEBHOOKS: '1' },
  })
  const created = await call(ADMIN_TOKEN, 'POST', '/api/v1/admin/projects', { name: 'project-b' })
  keyB = created.body.key as string

  const start = new Date(Date.now() - 60_000)
  const ingest = await fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keyB}`, 'content-type': 'application/json' },
    body: createOtlpJsonBody([
      {
        traceId: taskB,
        spanId: 'b1'.repeat(8),
        name: 'secret-task-of-b',
        startTimeUnixNano: toUnixNano(start),
        endTimeUnixNano: toUnixNano(new Date(start.getTime() + 100)),
        attributes: {
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': 1000,
          'gen_ai.usage.output_tokens': 500,
          'agentmeter.step.name': 'secret-step-of-b',
        },
      },
    ]),
  })
  expect(ingest.status).toBe(200)

  const rule = await call(keyB, 'POST', '/api/v1/alert-rules', {
    name: 'b rule',
    type: 'task_cost',
    thresholdUsd: 10,
    channel: { type: 'webhook', url: 'http://127.0.0.1:9/hook' },
  })
  expect(rule.status).toBe(201)
  ruleB = (rule.body.rule as { id: string }).id

  const price = await call(keyB, 'POST', '/api/v1/prices', {
    kind: 'model',
    model: 'b-model',
    inputMtok: '1',
    outputMtok: '2',
  })
  expect(price.status).toBe(201)
  priceB = (price.body.price as { id: string }).id
})

afterAll(async () => {
  await collector?.close()
})

describe('tenant isolation', () => {
  it('should show B its own task and A nothing of it', async () => {
    expect((await call(keyB, 'GET', `/api/v1/tasks/${taskB}`)).status).toBe(200)
    const detail = await call(collector.apiKey, 'GET', `/api/v1/tasks/${taskB}`)
    const missing = await call(collector.apiKey, 'GET', `/api/v1/tasks/${'c0'.repeat(16)}`)
    expect(detail.status).toBe(404)
    expect(missing.status).toBe(404)
    expect(detail.body.error).toBe(`no task "${taskB}" in this project`)

    expect((await call(collector.apiKey, 'GET', '/api/v1/tasks')).body.tasks).toEqual([])
    expect((await call(collector.apiKey, 'GET', '/api/v1/costs')).body.rows).toEqual([])
    const recommendations = (await call(collector.apiKey, 'GET', '/api/v1/recommendations')).body
    expect(recommendations.recommendations).toEqual([])
    expect(recommendations.steps).toEqual([])
    const own = (await call(keyB, 'GET', '/api/v1/recommendations')).body.steps as Array<{
      step: string
    }>
    expect(own.map((step) => step.step)).toEqual(['secret-step-of-b'])
    expect(
      (await call(collector.apiKey, 'GET', '/api/v1/tasks?name=secret-task-of-b')).body.tasks,
    ).toEqual([])
  })

  it('should answer 404 to A for B’s alert rule and price, and change nothing', async () => {
    expect((await call(collector.apiKey, 'GET', `/api/v1/alert-rules/${ruleB}`)).status).toBe(404)
    expect((await call(collector.apiKey, 'DELETE', `/api/v1/alert-rules/${ruleB}`)).status).toBe(
      404,
    )
    expect(
      (await call(collector.apiKey, 'PATCH', `/api/v1/alert-rules/${ruleB}`, { enabled: false }))
        .status,
    ).toBe(404)
    expect((await call(collector.apiKey, 'DELETE', `/api/v1/prices/${priceB}`)).status).toBe(404)
    expect((await call(collector.apiKey, 'GET', '/api/v1/alert-rules')).body.rules).toEqual([])

    const rules = (await call(keyB, 'GET', '/api/v1/alert-rules')).body.rules as Array<{
      id: string
      enabled: boolean
    }>
    expect(rules.map((rule) => [rule.id, rule.enabled])).toEqual([[ruleB, true]])
    const prices = (await call(keyB, 'GET', '/api/v1/prices')).body.prices as Array<{ id: string }>
    expect(prices.map((price) => price.id)).toEqual([priceB])
  })

  it('should keep SQL injection attempts in filters inert', async () => {
    for (const attempt of [
      "' OR 1=1 --",
      "x') OR ('1'='1",
      'secret-task-of-b\\',
      "'; DROP TABLE spans; --",
    ]) {
      const list = await call(
        collector.apiKey,
        'GET',
        `/api/v1/tasks?name=${encodeURIComponent(attempt)}`,
      )
      expect(list).toEqual({ status: 200, body: { tasks: [] } })
      const costs = await call(keyB, 'GET', `/api/v1/costs?name=${encodeURIComponent(attempt)}`)
      expect(costs).toEqual({ status: 200, body: { rows: [] } })
    }
    // The table is still there and B's task still in it.
    expect((await call(keyB, 'GET', `/api/v1/tasks/${taskB}`)).status).toBe(200)
  })
})
