import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listReadRoutes, routeUrl, withoutClock, type ApiRoute } from './support/api-routes'
import { createOtlpJsonBody, toUnixNano, type JsonSpanInput } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * At-least-once delivery: the same span (project, trace id, span id) arrives in several batches,
 * by a retry of a whole batch and inside batches that differ. A project that got duplicates must
 * answer every read route exactly like a control project that got each span once. Background
 * merges are stopped, so the duplicates are really in the table while the routes are read.
 */
const ADMIN_TOKEN = 'duplicate-delivery-admin-token-0123456789'
const T1 = 'd1'.repeat(16)
const T2 = 'd2'.repeat(16)
const base = Date.now() - 20 * 60_000
const at = (ms: number) => toUnixNano(new Date(base + ms))

function chat(traceId: string, spanId: string, ms: number, model: string): JsonSpanInput {
  return {
    traceId,
    spanId,
    parentSpanId: traceId.slice(0, 16),
    name: `chat ${model}`,
    startTimeUnixNano: at(ms),
    endTimeUnixNano: at(ms + 400),
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': model,
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 90,
      'agentmeter.step.name': 'classify',
      'agentmeter.request.hash': 'a1b2c3d4e5f60718',
    },
  }
}

function root(traceId: string, ms: number): JsonSpanInput {
  return {
    traceId,
    spanId: traceId.slice(0, 16),
    name: 'triage',
    startTimeUnixNano: at(ms),
    endTimeUnixNano: at(ms + 5000),
    attributes: {
      'agentmeter.span.kind': 'task',
      'agentmeter.task.name': 'triage',
      'agentmeter.task.outcome': 'success',
    },
  }
}

const A = chat(T1, '00000000000000a1', 100, 'gpt-4o')
const B = chat(T1, '00000000000000b1', 600, 'gpt-4o')
const C = {
  ...chat(T1, '00000000000000c1', 1200, 'gpt-4o-mini'),
  name: 'execute_tool lookup',
  attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup' },
}
const D = chat(T2, '00000000000000d1', 200, 'gpt-4o-mini')

let collector: TestCollector
let controlKey = ''

async function ingest(key: string, spans: JsonSpanInput[]): Promise<void> {
  const response = await fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: createOtlpJsonBody(spans),
  })
  expect(await response.json()).toEqual({})
  expect(response.status).toBe(200)
}

async function get(key: string, url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${collector.url}${url}`, {
    headers: { authorization: `Bearer ${key}` },
  })
  return { status: response.status, body: await response.json() }
}

beforeAll(async () => {
  collector = await createTestCollector({ env: { AGENTMETER_ADMIN_TOKEN: ADMIN_TOKEN } })
  const created = await fetch(`${collector.url}/api/v1/admin/projects`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'control' }),
  })
  controlKey = ((await created.json()) as { key: string }).key
  await collector.client.command({ query: 'SYSTEM STOP MERGES spans' })

  await ingest(controlKey, [root(T1, 0), A, B, C, root(T2, 0), D])

  await ingest(collector.apiKey, [root(T1, 0), A, B])
  await ingest(collector.apiKey, [B, C, root(T2, 0), D])
  await ingest(collector.apiKey, [root(T1, 0), A, B]) // the whole batch retried
  await ingest(collector.apiKey, [A]) // and one span alone
})

afterAll(async () => {
  await collector?.close()
})

/** Every query string worth asking of a route: each value of each enum parameter. */
function variants(route: ApiRoute): Record<string, string>[] {
  const range = {
    from: new Date(base - 3_600_000).toISOString(),
    to: new Date(Date.now() + 60_000).toISOString(),
  }
  const query: Record<string, string> = {}
  for (const param of route.params) {
    if (param.in === 'query' && param.name in range) query[param.name] = range[param.name as 'from']
  }
  const out = [query]
  for (const param of route.params) {
    if (param.in !== 'query' || !param.schema.enum) continue
    for (const value of param.schema.enum) out.push({ ...query, [param.name]: value })
  }
  return out
}

describe('a span delivered more than once', () => {
  it('should be in the table more than once, the retried batch skipped by its token', async () => {
    const result = await collector.client.query({
      query: `SELECT toUInt64(count()) AS rows, toUInt64(uniqExact(trace_id, span_id)) AS spans
        FROM spans WHERE project_id != (SELECT id FROM projects FINAL WHERE name = 'control')`,
      format: 'JSONEachRow',
    })
    // 3 + 4 rows, the retry of the first batch skipped, the lone A stored again: 8 rows, 6 spans.
    expect(await result.json()).toEqual([{ rows: 8, spans: 6 }])
  })

  it('should count once in every read route, exactly like spans delivered once', async () => {
    const routes = await listReadRoutes(collector.url)
    expect(routes.map((route) => route.path)).toEqual(
      expect.arrayContaining(['/api/v1/tasks', '/api/v1/tasks/{taskId}', '/api/v1/costs']),
    )
    let compared = 0
    for (const route of routes) {
      const pathParams = route.params.filter((param) => param.in === 'path')
      // Routes addressed by an id of something else (rules, prices, events) hold no span data.
      if (pathParams.some((param) => param.name !== 'taskId')) continue
      for (const taskId of pathParams.length > 0 ? [T1, T2] : ['']) {
        for (const query of variants(route)) {
          const url = routeUrl(route, { taskId }, query)
          const control = withoutClock(await get(controlKey, url))
          const duplicated = withoutClock(await get(collector.apiKey, url))
          expect(control.status, url).toBe(200)
          expect(duplicated, url).toEqual(control)
          compared += 1
        }
      }
    }
    expect(compared).toBeGreaterThanOrEqual(10)

    // And the figures themselves are the once-only ones.
    const from = new Date(base - 3_600_000).toISOString()
    const list = await get(collector.apiKey, `/api/v1/tasks?from=${from}`)
    const byId = new Map(
      (list.body as { tasks: { taskId: string; llmCalls: number; toolCalls: number }[] }).tasks.map(
        (task) => [task.taskId, task],
      ),
    )
    expect(byId.get(T1)).toMatchObject({ llmCalls: 2, toolCalls: 1, inputTokens: 2400 })
    expect(byId.get(T2)).toMatchObject({ llmCalls: 1, toolCalls: 0, inputTokens: 1200 })
  })
})
