import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOtlpJsonBody, toUnixNano, type JsonSpanInput } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Four tasks with hand-computed costs (gpt-4o at $2.50 / $10 per million, gpt-4o-mini at
 * $0.15 / $0.60): three `triage` tasks costing 0.0075, 0.015 and 0.0225 USD, and one `report`
 * task costing 0.0075 + 0.0000051 on two models.
 */
let collector: TestCollector
const day = new Date(Date.UTC(2026, 10, 20, 10, 0, 0))

function llmSpan(
  task: string,
  taskId: string,
  spanId: string,
  model: string,
  input: number,
  output: number,
  offsetMs: number,
): JsonSpanInput {
  const start = new Date(day.getTime() + offsetMs)
  return {
    traceId: taskId.padEnd(32, '0'),
    spanId,
    parentSpanId: 'f'.repeat(16),
    name: `chat ${model}`,
    startTimeUnixNano: toUnixNano(start),
    endTimeUnixNano: toUnixNano(new Date(start.getTime() + 100)),
    attributes: {
      'agentmeter.span.kind': 'llm',
      'agentmeter.task.id': taskId,
      'agentmeter.task.name': task,
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': model,
      'gen_ai.usage.input_tokens': input,
      'gen_ai.usage.output_tokens': output,
    },
  }
}

function taskRoot(
  task: string,
  taskId: string,
  outcome: 'success' | 'failure',
  offsetMs: number,
): JsonSpanInput {
  const start = new Date(day.getTime() + offsetMs)
  return {
    traceId: taskId.padEnd(32, '0'),
    spanId: 'f'.repeat(16),
    name: task,
    kind: 1,
    startTimeUnixNano: toUnixNano(start),
    endTimeUnixNano: toUnixNano(new Date(start.getTime() + 1000)),
    attributes: {
      'agentmeter.span.kind': 'task',
      'agentmeter.task.id': taskId,
      'agentmeter.task.name': task,
      'agentmeter.task.outcome': outcome,
    },
  }
}

beforeAll(async () => {
  collector = await createTestCollector()
  const spans = [
    taskRoot('triage', 'a1', 'success', 0),
    llmSpan('triage', 'a1', '0000000000000001', 'gpt-4o', 1000, 500, 10),
    taskRoot('triage', 'a2', 'success', 60_000),
    llmSpan('triage', 'a2', '0000000000000002', 'gpt-4o', 2000, 1000, 60_010),
    taskRoot('triage', 'a3', 'failure', 120_000),
    llmSpan('triage', 'a3', '0000000000000003', 'gpt-4o', 3000, 1500, 120_010),
    taskRoot('report', 'b1', 'success', 86_400_000),
    llmSpan('report', 'b1', '0000000000000004', 'gpt-4o', 1000, 500, 86_400_010),
    llmSpan('report', 'b1', '0000000000000005', 'gpt-4o-mini', 22, 3, 86_400_020),
  ]
  expect(await collector.sendTraces(createOtlpJsonBody(spans))).toBe(200)
})

afterAll(async () => {
  await collector?.close()
})

const RANGE = 'from=2026-11-19T00:00:00Z&to=2026-11-23T00:00:00Z'

type Row = Record<string, number | string | null>

function close(actual: unknown, expected: number) {
  expect(Math.abs((actual as number) - expected)).toBeLessThan(1e-12)
}

describe('GET /api/v1/costs', () => {
  it('should give spend, counts and per-task percentiles by task name', async () => {
    const { status, body } = await collector.api<{ rows: Row[] }>(
      `/api/v1/costs?${RANGE}&groupBy=task_name`,
    )
    expect(status).toBe(200)
    expect(body.rows.map((row) => row.key)).toEqual(['report', 'triage'])
    const [report, triage] = body.rows
    expect(triage).toMatchObject({ tasks: 3, successfulTasks: 2, failedTasks: 1 })
    close(triage!.costUsd, 0.045)
    // Nearest-rank percentiles of 0.0075, 0.015, 0.0225: ranks ceil(0.5 × 3) = 2, ceil(0.95 × 3) = 3.
    close(triage!.p50TaskCostUsd, 0.015)
    close(triage!.p95TaskCostUsd, 0.0225)
    close(triage!.costPerSuccessfulTaskUsd, 0.0225)
    expect(report).toMatchObject({ tasks: 1, successfulTasks: 1, failedTasks: 0 })
    close(report!.costUsd, 0.0075051)
  })

  it('should split spend per day by task name', async () => {
    const { body } = await collector.api<{ rows: Row[] }>(
      `/api/v1/costs?${RANGE}&groupBy=day&split=task_name`,
    )
    expect(body.rows.map((row) => [row.key, row.series, row.tasks])).toEqual([
      ['2026-11-20', 'triage', 3],
      ['2026-11-21', 'report', 1],
    ])
  })

  it('should attribute each task spend to the models it used', async () => {
    const { body } = await collector.api<{ rows: Row[] }>(`/api/v1/costs?${RANGE}&groupBy=model`)
    expect(body.rows.map((row) => [row.key, row.tasks])).toEqual([
      ['gpt-4o', 4],
      ['gpt-4o-mini', 1],
    ])
    close(body.rows[0]!.costUsd, 0.0525)
    close(body.rows[1]!.costUsd, 0.0000051)
  })

  it('should filter by task name', async () => {
    const { body } = await collector.api<{ rows: Row[] }>(
      `/api/v1/costs?${RANGE}&groupBy=model&name=report`,
    )
    expect(body.rows.map((row) => [row.key, row.tasks])).toEqual([
      ['gpt-4o', 1],
      ['gpt-4o-mini', 1],
    ])
  })

  it('should refuse an unknown groupBy with a message naming it', async () => {
    const { status, body } = await collector.api<{ error: string }>(`/api/v1/costs?groupBy=colour`)
    expect(status).toBe(400)
    expect(body.error).toBe(
      'groupBy must be one of task_name, model, provider, day, hour, got "colour"',
    )
  })
})

describe('API schema', () => {
  it('should refuse an unknown query parameter, naming it', async () => {
    const { status, body } = await collector.api<{ error: string }>(`/api/v1/tasks?limt=5`)
    expect(status).toBe(400)
    expect(body.error).toBe(
      'unknown query parameter "limt"; expected one of from, to, name, environment, service, step, model, provider, tag, limit, cursor',
    )
  })

  it('should refuse a limit out of range', async () => {
    const { status, body } = await collector.api<{ error: string }>(`/api/v1/tasks?limit=0`)
    expect(status).toBe(400)
    expect(body.error).toBe('limit must be an integer from 1 to 1000, got "0"')
  })

  it('should serve an OpenAPI document of every route', async () => {
    const { status, body } = await collector.api<{
      openapi: string
      paths: Record<string, object>
    }>('/api/v1/openapi.json')
    expect(status).toBe(200)
    expect(body.openapi).toBe('3.1.0')
    expect(Object.keys(body.paths).sort()).toEqual([
      '/api/v1/admin/doctor',
      '/api/v1/admin/keys',
      '/api/v1/admin/keys/{prefix}',
      '/api/v1/admin/projects',
      '/api/v1/admin/spool',
      '/api/v1/admin/spool/redrive',
      '/api/v1/alert-events',
      '/api/v1/alert-events/{id}/deliveries',
      '/api/v1/alert-rules',
      '/api/v1/alert-rules/{id}',
      '/api/v1/alert-rules/{id}/test',
      '/api/v1/costs',
      '/api/v1/hotspots',
      '/api/v1/overview',
      '/api/v1/prices',
      '/api/v1/prices/{id}',
      '/api/v1/recommendations',
      '/api/v1/recommendations/what-if',
      '/api/v1/regressions',
      '/api/v1/reprice',
      '/api/v1/session',
      '/api/v1/settings',
      '/api/v1/settings/dimensions',
      '/api/v1/showback',
      '/api/v1/tasks',
      '/api/v1/tasks/{taskId}',
      '/api/v1/tasks/{taskId}/spans/{spanId}/content',
      '/api/v1/unpriced',
    ])
  })
})
