import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOtlpJsonBody, toUnixNano, type JsonSpanInput } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Storage goes away under a running collector (the spans table is detached, so every insert
 * fails inside the real engine), ingest goes on into the spool up to its budget, then storage
 * comes back: the spool drains and exactly the acknowledged spans are stored, once each.
 */
const ADMIN_TOKEN = 'durable-ingest-admin-token-0123456789'
const SPANS_PER_BATCH = 20
let collector: TestCollector
let otherKey = ''
let nextTrace = 1

beforeAll(async () => {
  collector = await createTestCollector({
    env: {
      AGENTMETER_ADMIN_TOKEN: ADMIN_TOKEN,
      // About a dozen batches of 20 spans; one key may fill 60% of it.
      AGENTMETER_SPOOL_MAX_BYTES: '400000',
      AGENTMETER_SPOOL_KEY_SHARE_PERCENT: '60',
      AGENTMETER_ALERT_TASK_CHECK_DELAY_MS: '0',
    },
  })
  const created = await fetch(`${collector.url}/api/v1/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ project: 'test-project', scopes: ['ingest'] }),
  })
  otherKey = ((await created.json()) as { key: string }).key
})

afterAll(async () => {
  await collector?.close()
})

interface Sent {
  traceId: string
  status: number
  retryAfter: string | null
  message: string
}

/** One batch of a new trace: a task root and its chat calls. */
async function sendBatch(key: string): Promise<Sent> {
  const traceId = (nextTrace++).toString(16).padStart(32, '0')
  const start = Date.now() - 60_000
  const spans = Array.from({ length: SPANS_PER_BATCH }, (_, i): JsonSpanInput => ({
    traceId,
    spanId: (i + 1).toString(16).padStart(16, '0'),
    parentSpanId: i === 0 ? '' : '0000000000000001',
    name: i === 0 ? 'invoke_agent triage' : 'chat gpt-4o-mini',
    startTimeUnixNano: toUnixNano(new Date(start + i)),
    endTimeUnixNano: toUnixNano(new Date(start + i + 1)),
    attributes:
      i === 0
        ? { 'agentmeter.task.name': 'triage', 'agentmeter.span.kind': 'task' }
        : {
            'gen_ai.operation.name': 'chat',
            'gen_ai.provider.name': 'openai',
            'gen_ai.request.model': 'gpt-4o-mini',
            'gen_ai.usage.input_tokens': 1000,
            'gen_ai.usage.output_tokens': 100,
          },
  }))
  const response = await fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: createOtlpJsonBody(spans),
  })
  const body = (await response.json()) as { message?: string }
  return {
    traceId,
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    message: body.message ?? '',
  }
}

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${collector.url}/metrics`)).text()
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `))
  return Number(line?.split(' ')[1] ?? NaN)
}

async function storedTraces(): Promise<{ rows: number; spans: number; traces: string[] }> {
  const result = await collector.client.query({
    query: `SELECT toUInt64(count()) AS rows, toUInt64(uniqExact(trace_id, span_id)) AS spans,
        arraySort(groupUniqArray(trace_id)) AS traces
      FROM spans FINAL`,
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ rows: string; spans: string; traces: string[] }>()
  return { rows: Number(row!.rows), spans: Number(row!.spans), traces: row!.traces }
}

describe('ingest while ClickHouse is unavailable', () => {
  it('should answer 200 from the spool to its budget, 429 / 503 beyond, then drain exactly once', async () => {
    const before = await sendBatch(collector.apiKey)
    expect(before.status).toBe(200)
    expect(await metric('agentmeter_spool_batches')).toBe(0)

    await collector.client.command({ query: 'DETACH TABLE spans' })
    const accepted = [before.traceId]
    const refused: Sent[] = []

    // One key floods: 200 from the spool until its half of the budget, then 429.
    for (let i = 0; i < 40; i += 1) {
      const sent = await sendBatch(collector.apiKey)
      if (sent.status !== 200) {
        refused.push(sent)
        break
      }
      accepted.push(sent.traceId)
    }
    const flooderBatches = accepted.length - 1
    expect(flooderBatches).toBeGreaterThanOrEqual(3)
    expect(refused[0]).toMatchObject({ status: 429, retryAfter: '5' })
    expect(refused[0]!.message).toMatch(/this key's spans fill its share of the spool/)

    // Another key still gets in, until the whole spool is at its budget: then 503.
    for (let i = 0; i < 40; i += 1) {
      const sent = await sendBatch(otherKey)
      if (sent.status !== 200) {
        refused.push(sent)
        break
      }
      accepted.push(sent.traceId)
    }
    expect(accepted.length - 1 - flooderBatches).toBeGreaterThanOrEqual(3)
    expect(refused[1]).toMatchObject({ status: 503, retryAfter: '5' })
    expect(refused[1]!.message).toMatch(/the spool is full \(400000 bytes/)

    const spooled = accepted.length - 1
    expect(await metric('agentmeter_spool_batches')).toBe(spooled)
    expect(await metric('agentmeter_spool_bytes')).toBeLessThanOrEqual(400_000)
    expect(await metric('agentmeter_spool_bytes')).toBeGreaterThan(200_000)

    // Storage comes back: the spool drains, in order, and every acknowledged span is there once.
    await collector.client.command({ query: 'ATTACH TABLE spans' })
    const deadline = Date.now() + 30_000
    while ((await metric('agentmeter_spool_batches')) > 0) {
      if (Date.now() > deadline) throw new Error('the spool did not drain')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(await metric('agentmeter_spool_replayed_batches_total')).toBe(spooled)
    expect(await metric('agentmeter_spool_replayed_spans_total')).toBe(spooled * SPANS_PER_BATCH)
    const stored = await storedTraces()
    expect(stored.traces).toEqual([...accepted].sort())
    expect(stored.rows).toBe(accepted.length * SPANS_PER_BATCH)
    expect(stored.spans).toBe(accepted.length * SPANS_PER_BATCH)

    // And through the API: one task per acknowledged trace, each with its 19 calls.
    const from = new Date(Date.now() - 3_600_000).toISOString()
    const to = new Date(Date.now() + 60_000).toISOString()
    const { status, body } = await collector.api<{ tasks: { taskId: string; llmCalls: number }[] }>(
      `/api/v1/tasks?from=${from}&to=${to}&limit=500`,
    )
    expect(status).toBe(200)
    expect(body.tasks.map((task) => task.taskId).sort()).toEqual([...accepted].sort())
    expect(body.tasks.every((task) => task.llmCalls === SPANS_PER_BATCH - 1)).toBe(true)

    // Drained: a new batch is stored directly again.
    expect((await sendBatch(collector.apiKey)).status).toBe(200)
    expect(await metric('agentmeter_spool_batches')).toBe(0)
  })
})
