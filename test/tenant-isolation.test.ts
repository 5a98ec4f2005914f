import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listReadRoutes, routeUrl } from './support/api-routes'
import { createOtlpJsonBody, toUnixNano } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'
import { createTestWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver'

/**
 * Two projects on one collector: project A (the test key) and project B (created through the
 * admin API). A's key must neither read nor change anything of B's, by any route, filter or id;
 * another project's ids answer 404, exactly like ids that do not exist.
 */
const ADMIN_TOKEN = 'tenant-test-admin-token-0123456789'
let collector: TestCollector
let receiver: WebhookReceiver
let keyB = ''
const taskB = 'b0'.repeat(16)
const spanB = 'b1'.repeat(8)
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
  receiver = await createTestWebhookReceiver()
  collector = await createTestCollector({
    env: { AGENTMETER_ADMIN_TOKEN: ADMIN_TOKEN, AGENTMETER_ALLOW_PRIVATE_WEBHOOKS: '1' },
  })
  const created = await call(ADMIN_TOKEN, 'POST', '/api/v1/admin/projects', { name: 'project-b' })
  keyB = created.body.key as string
  expect((await call(keyB, 'PUT', '/api/v1/settings', { captureContent: true })).status).toBe(200)

  const start = new Date(Date.now() - 60_000)
  const ingest = await fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keyB}`, 'content-type': 'application/json' },
    body: createOtlpJsonBody([
      {
        traceId: taskB,
        spanId: spanB,
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
          'gen_ai.input.messages': '[{"role":"user","content":"secret-prompt-of-b"}]',
        },
      },
    ]),
  })
  expect(ingest.status).toBe(200)

  const rule = await call(keyB, 'POST', '/api/v1/alert-rules', {
    name: 'b rule',
    type: 'task_cost',
    thresholdUsd: 10,
    channel: { type: 'webhook', url: receiver.url },
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
  await receiver?.close()
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

    const sent = await call(keyB, 'POST', `/api/v1/alert-rules/${ruleB}/test`)
    expect(sent.status).toBe(200)
    const eventB = (sent.body.event as { id: string }).id
    const theirs = await call(collector.apiKey, 'GET', `/api/v1/alert-events/${eventB}/deliveries`)
    expect(theirs).toEqual({
      status: 404,
      body: { error: `no alert event "${eventB}" in this project` },
    })
    expect((await call(keyB, 'GET', `/api/v1/alert-events/${eventB}/deliveries`)).status).toBe(200)
    expect((await call(collector.apiKey, 'GET', '/api/v1/alert-events')).body.events).toEqual([])

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
      expect(list).toEqual({ status: 200, body: { tasks: [], nextCursor: null } })
      const costs = await call(keyB, 'GET', `/api/v1/costs?name=${encodeURIComponent(attempt)}`)
      expect(costs).toEqual({ status: 200, body: { rows: [] } })
    }
    // The table is still there and B's task still in it.
    expect((await call(keyB, 'GET', `/api/v1/tasks/${taskB}`)).status).toBe(200)
  })

  it('should answer 404 to A for the content of B’s span, as for a span that does not exist', async () => {
    const route = `/api/v1/tasks/${taskB}/spans/${spanB}/content`
    const own = await call(keyB, 'GET', route)
    expect(own).toEqual({
      status: 200,
      body: {
        spanId: spanB,
        traceId: taskB,
        captureContent: true,
        content: [
          {
            key: 'gen_ai.input.messages',
            value: '[{"role":"user","content":"secret-prompt-of-b"}]',
          },
        ],
      },
    })
    const other = await call(collector.apiKey, 'GET', route)
    const missing = await call(
      collector.apiKey,
      'GET',
      `/api/v1/tasks/${taskB}/spans/${'c1'.repeat(8)}/content`,
    )
    expect(other).toEqual({
      status: 404,
      body: { error: `no span "${spanB}" in task "${taskB}" of this project` },
    })
    expect(missing.status).toBe(404)
  })

  it('should show A nothing of B through any read route, with B’s ids in the URL', async () => {
    const routes = await listReadRoutes(collector.url)
    const ids: Record<string, string> = { taskId: taskB, spanId: spanB, id: ruleB, prefix: 'am_' }
    const query = {
      from: new Date(Date.now() - 3_600_000).toISOString(),
      to: new Date(Date.now() + 60_000).toISOString(),
    }
    for (const route of routes) {
      const params: Record<string, string> = {}
      for (const param of route.params) {
        if (param.in === 'query' && param.name in query)
          params[param.name] = query[param.name as 'from']
        else if (param.in === 'query' && param.required && param.schema.enum)
          params[param.name] = param.schema.enum[0]!
      }
      const url = routeUrl(route, ids, params)
      const answer = await call(collector.apiKey, 'GET', url)
      expect(answer.status, url).toBeLessThan(500)
      const text = JSON.stringify(answer.body)
      expect(text, url).not.toMatch(/secret-(task|step|prompt)-of-b|b rule|b-model/)
      // A 404 names the id it did not find (the one in the URL); any other answer holds none.
      if (answer.status !== 404) expect(text, url).not.toMatch(/b0b0b0b0|b1b1b1b1/)
      // B's own key does see its data through the id routes.
      if (route.path.includes('{taskId}')) {
        expect((await call(keyB, 'GET', url)).status, url).toBe(200)
      }
    }
    expect(routes.length).toBeGreaterThanOrEqual(10)
  })

  it('should keep key listing and revocation to the instance admin, and another project’s key ids to 404', async () => {
    const prefixB = keyB.slice(0, 11)
    // No project key, whatever its scopes, lists or revokes keys: A's has every scope.
    for (const key of [collector.apiKey, keyB]) {
      expect((await call(key, 'GET', '/api/v1/admin/keys')).status).toBe(401)
      expect((await call(key, 'GET', '/api/v1/admin/keys?project=project-b')).status).toBe(401)
      expect((await call(key, 'DELETE', `/api/v1/admin/keys/${prefixB}`)).status).toBe(401)
    }
    const listedA = await call(ADMIN_TOKEN, 'GET', '/api/v1/admin/keys?project=test-project')
    expect(listedA.status).toBe(200)
    const prefixesA = (
      listedA.body.keys as Array<{ prefix: string; project: { name: string } }>
    ).map((key) => [key.prefix, key.project.name])
    expect(prefixesA).toContainEqual([collector.apiKey.slice(0, 11), 'test-project'])
    expect(prefixesA.map(([prefix]) => prefix)).not.toContain(prefixB)

    // Within A's project, B's key id answers exactly as an id that does not exist.
    const theirs = await call(
      ADMIN_TOKEN,
      'DELETE',
      `/api/v1/admin/keys/${prefixB}?project=test-project`,
    )
    const missing = await call(
      ADMIN_TOKEN,
      'DELETE',
      '/api/v1/admin/keys/am_nothere?project=test-project',
    )
    expect(theirs).toEqual({
      status: 404,
      body: { error: `no active key with prefix "${prefixB}" in project "test-project"` },
    })
    expect(missing).toEqual({
      status: 404,
      body: { error: 'no active key with prefix "am_nothere" in project "test-project"' },
    })
    // B's key still works, and is listed (active) under B.
    expect((await call(keyB, 'GET', '/api/v1/settings')).status).toBe(200)
    const listedB = await call(ADMIN_TOKEN, 'GET', '/api/v1/admin/keys?project=project-b')
    expect(
      (listedB.body.keys as Array<{ prefix: string; revoked: boolean }>).map((key) => [
        key.prefix,
        key.revoked,
      ]),
    ).toEqual([[prefixB, false]])
  })

  it('should refuse a revoked key at once on every route, by bearer and by its dashboard session', async () => {
    const created = await call(ADMIN_TOKEN, 'POST', '/api/v1/admin/keys', {
      project: 'test-project',
      scopes: ['ingest', 'read', 'admin'],
    })
    const { key, prefix } = created.body as { key: string; prefix: string }
    const signIn = await fetch(`${collector.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key }),
    })
    expect(signIn.status).toBe(200)
    const cookie = signIn.headers.get('set-cookie')!.split(';')[0]!
    const withCookie = (method: string, route: string) =>
      fetch(`${collector.url}${route}`, {
        method,
        headers: { cookie, 'content-type': 'application/json' },
        body: method === 'GET' || method === 'DELETE' ? undefined : '{}',
      })
    const ingest = (bearer: string) =>
      fetch(`${collector.url}/v1/traces`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
        body: '{"resourceSpans":[]}',
      })
    expect((await call(key, 'GET', '/api/v1/tasks')).status).toBe(200)
    expect((await withCookie('GET', '/api/v1/tasks')).status).toBe(200)
    expect((await withCookie('GET', '/api/v1/session')).status).toBe(200)
    expect((await ingest(key)).status).toBe(200)

    expect((await call(ADMIN_TOKEN, 'DELETE', `/api/v1/admin/keys/${prefix}`)).status).toBe(200)

    const document = (await (await fetch(`${collector.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { security: Record<string, unknown>[] }>>
    }
    let checked = 0
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!operation.security.some((scheme) => 'projectKey' in scheme)) continue
        const route = path.replace(/\{(\w+)\}/g, (_match, name: string) =>
          name === 'spanId' ? spanB : 'x',
        )
        const verb = method.toUpperCase()
        const bearer = await fetch(`${collector.url}${route}`, {
          method: verb,
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: verb === 'GET' || verb === 'DELETE' ? undefined : '{}',
        })
        expect(bearer.status, `${verb} ${route} by bearer`).toBe(401)
        expect((await withCookie(verb, route)).status, `${verb} ${route} by session`).toBe(401)
        checked += 1
      }
    }
    expect(checked).toBeGreaterThanOrEqual(20)
    expect((await ingest(key)).status).toBe(401)
    expect((await withCookie('GET', '/api/v1/session')).status).toBe(401)
    // Signing in again with it says why it is refused; a key never issued reads as before.
    const signInWith = async (candidate: string) => {
      const response = await fetch(`${collector.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ key: candidate }),
      })
      return [response.status, ((await response.json()) as { error: string }).error]
    }
    expect(await signInWith(key)).toEqual([
      401,
      'that key was revoked: sign in with a key that is not',
    ])
    expect(await signInWith(`${key}x`)).toEqual([
      401,
      'that key is not a valid project key with the read scope',
    ])
    // Other keys of the project are untouched.
    expect((await call(collector.apiKey, 'GET', '/api/v1/tasks')).status).toBe(200)
  })

  it('should store what A sends under A, whatever ids or project the payload names', async () => {
    const start = new Date(Date.now() - 30_000)
    const ingest = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
      body: createOtlpJsonBody(
        [
          {
            traceId: taskB,
            spanId: spanB,
            name: 'a-claims-b',
            startTimeUnixNano: toUnixNano(start),
            endTimeUnixNano: toUnixNano(new Date(start.getTime() + 100)),
            attributes: {
              'agentmeter.task.name': 'a-claims-b',
              'agentmeter.project': 'project-b',
              'gen_ai.operation.name': 'chat',
              'gen_ai.provider.name': 'openai',
              'gen_ai.request.model': 'gpt-4o',
              'gen_ai.usage.input_tokens': 1,
              'gen_ai.usage.output_tokens': 1,
            },
          },
        ],
        'intruder',
        { 'agentmeter.project': 'project-b', 'service.namespace': 'project-b' },
      ),
    })
    expect(ingest.status).toBe(200)
    // The same ids under A's key are A's task; B's is untouched.
    const mine = await call(collector.apiKey, 'GET', `/api/v1/tasks/${taskB}`)
    expect((mine.body.task as { name: string }).name).toBe('a-claims-b')
    const theirs = await call(keyB, 'GET', `/api/v1/tasks/${taskB}`)
    expect((theirs.body.task as { name: string }).name).toBe('secret-task-of-b')
    expect((theirs.body.spans as Array<{ name: string }>).map((span) => span.name)).toEqual([
      'secret-task-of-b',
    ])
    // A's settings are A's: B's capture stays on.
    expect(
      (await call(collector.apiKey, 'PUT', '/api/v1/settings', { captureContent: false })).status,
    ).toBe(200)
    expect((await call(keyB, 'GET', '/api/v1/settings')).body).toEqual({
      settings: { captureContent: true, redactionRules: [] },
    })
  })
})
