import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOtlpJsonBody, toUnixNano, type JsonSpanInput } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

// Loosely typed answers: each assertion below pins the exact value it reads.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>

let collector: TestCollector
const now = new Date()
const RANGE = `from=${new Date(now.getTime() - 3_600_000).toISOString()}&to=${new Date(now.getTime() + 60_000).toISOString()}`

/**
 * A task root and one gpt-4o / gpt-4o-mini call; the call may carry another task name than its
 * root (a step that reuses another task type's code, say): the task is named by its root.
 */
function task(id: string, rootName: string, callName: string, mini: boolean): JsonSpanInput[] {
  const start = new Date(now.getTime() - 10 * 60_000)
  const traceId = id.padEnd(32, '0')
  const rootId = id.padEnd(16, 'f')
  return [
    {
      traceId,
      spanId: rootId,
      name: rootName,
      startTimeUnixNano: toUnixNano(start),
      endTimeUnixNano: toUnixNano(new Date(start.getTime() + 1000)),
      attributes: {
        'agentmeter.span.kind': 'task',
        'agentmeter.task.id': id,
        'agentmeter.task.name': rootName,
        'agentmeter.task.outcome': 'success',
      },
    },
    {
      traceId,
      spanId: id.padEnd(16, '1'),
      parentSpanId: rootId,
      name: 'chat',
      startTimeUnixNano: toUnixNano(new Date(start.getTime() + 100)),
      endTimeUnixNano: toUnixNano(new Date(start.getTime() + 200)),
      attributes: {
        'agentmeter.span.kind': 'llm',
        'agentmeter.task.id': id,
        'agentmeter.task.name': callName,
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': mini ? 'gpt-4o-mini' : 'gpt-4o',
        'gen_ai.usage.input_tokens': mini ? 22 : 1000,
        'gen_ai.usage.output_tokens': mini ? 3 : 500,
      },
    },
  ]
}

// gpt-4o 1000 in / 500 out at $2.50 / $10 per M; gpt-4o-mini 22 / 3 at $0.15 / $0.60 per M.
const ALPHA_USD = 0.0075
const BETA_USD = 0.0000051

beforeAll(async () => {
  collector = await createTestCollector()
  const response = await fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
    body: createOtlpJsonBody([
      ...task('ab01', 'alpha', 'beta', false),
      ...task('ab02', 'beta', 'beta', true),
    ]),
  })
  expect(response.status).toBe(200)
})

afterAll(async () => {
  await collector?.close()
})

describe('the task name filter', () => {
  it('should keep a task whose calls carry another name under its root name only', async () => {
    const alpha = await collector.api<Json>(`/api/v1/overview?${RANGE}&name=alpha`)
    expect([alpha.body.tasks, alpha.body.costUsd]).toEqual([1, ALPHA_USD])
    expect(alpha.body.topTaskTypes).toEqual([
      { name: 'alpha', tasks: 1, costUsd: ALPHA_USD, unpricedCalls: 0 },
    ])
    const beta = await collector.api<Json>(`/api/v1/overview?${RANGE}&name=beta`)
    expect([beta.body.tasks, beta.body.costUsd]).toEqual([1, BETA_USD])
    expect(beta.body.topModels).toEqual([
      { provider: 'openai', model: 'gpt-4o-mini', calls: 1, costUsd: BETA_USD, unpricedCalls: 0 },
    ])
  })

  it('should narrow the task list, costs, showback and regressions alike', async () => {
    const tasks = await collector.api<Json>(`/api/v1/tasks?${RANGE}&name=beta`)
    expect(tasks.body.tasks.map((row: Json) => row.taskId)).toEqual(['ab02'])
    const costs = await collector.api<Json>(`/api/v1/costs?${RANGE}&name=beta&groupBy=model`)
    expect(costs.body.rows.map((row: Json) => [row.key, row.costUsd, row.tasks])).toEqual([
      ['gpt-4o-mini', BETA_USD, 1],
    ])
    const byName = await collector.api<Json>(`/api/v1/costs?${RANGE}&name=alpha`)
    expect(byName.body.rows.map((row: Json) => [row.key, row.costUsd])).toEqual([
      ['alpha', ALPHA_USD],
    ])
    const showback = await collector.api<Json>(
      `/api/v1/showback?${RANGE}&groupBy=service&name=alpha`,
    )
    expect([showback.body.totalCostUsd, showback.body.totalTasks]).toEqual([ALPHA_USD, 1])
    const regressions = await collector.api<Json>(`/api/v1/regressions?${RANGE}&name=beta`)
    expect(regressions.body.rows.map((row: Json) => row.taskName)).toEqual(['beta'])
  })

  it('should find nothing for a name no task has, though no filter finds both', async () => {
    const none = await collector.api<Json>(`/api/v1/overview?${RANGE}&name=gamma`)
    expect([none.body.tasks, none.body.costUsd, none.body.topTaskTypes]).toEqual([0, 0, []])
    const all = await collector.api<Json>(`/api/v1/overview?${RANGE}`)
    expect(all.body.tasks).toBe(2)
  })
})
