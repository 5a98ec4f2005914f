import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listReadRoutes, routeUrl, withoutClock, type ApiRoute } from './support/api-routes'
import { createOtlpJsonBody, toUnixNano } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * SQL injection through every parameter of every read route (listed from openapi.json, so new
 * routes are covered): each payload must act as the literal it is. A payload answers exactly as
 * a harmless literal that matches nothing does, or is refused by validation with a 400 naming
 * the parameter; nothing of project B shows, and the tables are intact.
 */
const ADMIN_TOKEN = 'sql-injection-admin-token-0123456789'
const TRACE_A = 'a1'.repeat(16)
const TRACE_B = 'b2'.repeat(16)
const PAYLOADS = [
  "' OR '1'='1",
  "x' OR 1=1 --",
  "'); DROP TABLE spans; --",
  "' UNION ALL SELECT task_id, task_name FROM spans --",
  "\\' OR project_id != '' --",
  '{projectId:String}',
  '1; SELECT sleep(3)',
  '%27%20OR%201%3D1',
  "triage' AND 1=0 UNION SELECT name FROM system.tables --",
  '`spans`',
]
const HARMLESS = 'no-such-value-q7'

let collector: TestCollector
let keyB = ''

async function ingest(key: string, traceId: string, name: string): Promise<void> {
  const start = new Date(Date.now() - 10 * 60_000)
  const response = await fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: createOtlpJsonBody([
      {
        traceId,
        spanId: traceId.slice(0, 16),
        name,
        startTimeUnixNano: toUnixNano(start),
        endTimeUnixNano: toUnixNano(new Date(start.getTime() + 2000)),
        attributes: {
          'agentmeter.task.name': name,
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': 100,
          'gen_ai.usage.output_tokens': 10,
        },
      },
    ]),
  })
  expect(response.status).toBe(200)
}

async function get(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${collector.url}${url}`, {
    headers: { authorization: `Bearer ${collector.apiKey}` },
  })
  return { status: response.status, body: await response.json() }
}

async function spanCount(): Promise<number> {
  const result = await collector.client.query({
    query: 'SELECT toUInt64(count()) AS n FROM spans FINAL',
    format: 'JSONEachRow',
  })
  return Number((await result.json<{ n: string }>())[0]!.n)
}

beforeAll(async () => {
  collector = await createTestCollector({ env: { AGENTMETER_ADMIN_TOKEN: ADMIN_TOKEN } })
  const created = await fetch(`${collector.url}/api/v1/admin/projects`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'project-b' }),
  })
  keyB = ((await created.json()) as { key: string }).key
  await ingest(collector.apiKey, TRACE_A, 'triage')
  await ingest(keyB, TRACE_B, 'secret-of-b')
})

afterAll(async () => {
  await collector?.close()
})

/** A valid value for every parameter, so that only the one under attack changes. */
function baseline(route: ApiRoute): {
  path: Record<string, string>
  query: Record<string, string>
} {
  const query: Record<string, string> = {}
  for (const param of route.params) {
    if (param.in !== 'query') continue
    if (param.name === 'from') query.from = new Date(Date.now() - 3_600_000).toISOString()
    else if (param.name === 'to') query.to = new Date(Date.now() + 60_000).toISOString()
    else if (param.required && param.schema.enum) query[param.name] = param.schema.enum[0]!
  }
  return { path: { taskId: TRACE_A, spanId: TRACE_A.slice(0, 16) }, query }
}

describe('SQL injection through every filter of every read route', () => {
  // Some thousand requests one after another: over a minute on a busy machine.
  it('should treat every payload as a literal value', async () => {
    const routes = await listReadRoutes(collector.url)
    const before = await spanCount()
    let attempts = 0
    for (const route of routes) {
      const base = baseline(route)
      for (const param of route.params) {
        const set = (value: string) =>
          param.in === 'path'
            ? routeUrl(route, { ...base.path, [param.name]: value }, base.query)
            : routeUrl(route, base.path, { ...base.query, [param.name]: value })
        // A tag filter is `key=value`: its harmless literal has that shape too.
        const harmless = await get(set(param.name === 'tag' ? `no-such-key=${HARMLESS}` : HARMLESS))
        for (const payload of PAYLOADS) {
          const url = set(payload)
          const answer = await get(url)
          attempts += 1
          expect(answer.status, url).toBeLessThan(500)
          expect(JSON.stringify(answer.body), url).not.toMatch(/secret-of-b|b2b2b2b2/)
          if (answer.status === 400) {
            // Refused by validation, which names the parameter (and runs no query).
            expect((answer.body as { error: string }).error, url).toContain(param.name)
          } else {
            // A 404 names the id it did not find (the payload, quoted): the status must match.
            if (answer.status === 404) expect(harmless.status, url).toBe(404)
            else expect(withoutClock(answer), url).toEqual(withoutClock(harmless))
          }
        }
      }
    }
    expect(attempts).toBeGreaterThanOrEqual(routes.length * PAYLOADS.length)
    expect(routes.length).toBeGreaterThanOrEqual(8)
    expect(await spanCount()).toBe(before)
    // And the project's own data is still read as before.
    const tasks = await get(`/api/v1/tasks?from=${new Date(Date.now() - 3_600_000).toISOString()}`)
    expect((tasks.body as { tasks: { taskId: string }[] }).tasks.map((t) => t.taskId)).toEqual([
      TRACE_A,
    ])
    // Eleven requests per parameter of every read route: well over a thousand, each a real
    // query, on a shared 2-core machine.
  }, 300_000)
})
