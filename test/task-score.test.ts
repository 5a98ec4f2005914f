import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { postSpans, toUnixNano, type JsonSpanInput } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * The task's score on `GET /api/v1/tasks/:taskId`: `agentmeter.task.score` as the app recorded
 * it on the task root (what `outcome(ok, score)` writes and the recommender reads), `null` when
 * it recorded none. A score on another span of the task is not the task's.
 */
let collector: TestCollector
const at = new Date(Date.now() - 60_000)

function root(taskId: string, attributes: JsonSpanInput['attributes'] = {}): JsonSpanInput {
  return {
    traceId: Buffer.from(taskId).toString('hex').padEnd(32, '0').slice(0, 32),
    spanId: `${taskId.length}`.padStart(16, 'a'),
    name: `task ${taskId}`,
    startTimeUnixNano: toUnixNano(at),
    endTimeUnixNano: toUnixNano(new Date(at.getTime() + 1000)),
    attributes: {
      'agentmeter.span.kind': 'task',
      'agentmeter.task.id': taskId,
      'agentmeter.task.name': 'triage',
      ...attributes,
    },
  }
}

interface TaskAnswer {
  task: { taskId: string; outcome: string; score: number | null }
}

beforeAll(async () => {
  collector = await createTestCollector()
  const stepSpan: JsonSpanInput = {
    ...root('unscored'),
    spanId: 'bbbbbbbbbbbbbbb1',
    parentSpanId: root('unscored').spanId,
    name: 'step classify',
    attributes: {
      'agentmeter.span.kind': 'agent',
      'agentmeter.task.id': 'unscored',
      'agentmeter.step.name': 'classify',
      'agentmeter.task.score': 0.4,
    },
  }
  await postSpans(collector.url, collector.apiKey, [
    root('scored', { 'agentmeter.task.outcome': 'success', 'agentmeter.task.score': 0.82 }),
    root('unscored', { 'agentmeter.task.outcome': 'failure' }),
    stepSpan,
    root('out-of-range', { 'agentmeter.task.outcome': 'success', 'agentmeter.task.score': 1.5 }),
  ])
}, 120_000)

afterAll(async () => {
  await collector?.close()
})

describe('task score on the task route', () => {
  it('should give the score recorded on the task root', async () => {
    const { status, body } = await collector.api<TaskAnswer>('/api/v1/tasks/scored')
    expect(status).toBe(200)
    expect(body.task).toMatchObject({ taskId: 'scored', outcome: 'success', score: 0.82 })
  })

  it('should give null when the root has no score, whatever other spans carry', async () => {
    const { body } = await collector.api<TaskAnswer>('/api/v1/tasks/unscored')
    expect(body.task).toMatchObject({ taskId: 'unscored', outcome: 'failure', score: null })
  })

  it('should give a score outside 0 to 1 as recorded, for the page to set apart', async () => {
    const { body } = await collector.api<TaskAnswer>('/api/v1/tasks/out-of-range')
    expect(body.task.score).toBe(1.5)
  })

  it('should describe the score in the OpenAPI document of the route', async () => {
    const { body } = await collector.api<{
      paths: Record<string, { get: { responses: Record<string, unknown> } }>
    }>('/api/v1/openapi.json')
    const document = JSON.stringify(body.paths['/api/v1/tasks/{taskId}'])
    expect(document).toContain('"score":{"type":["number","null"]')
    // The list's tasks do not carry it: only the detail reads the task's root.
    expect(JSON.stringify(body.paths['/api/v1/tasks'])).not.toContain('"score"')
  })
})
