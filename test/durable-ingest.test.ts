import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  metricValue,
  sendTaskBatch,
  SPANS_PER_BATCH,
  storedTraces,
  waitForDrainedSpool,
  type SentBatch,
} from './support/spool-batches'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Storage goes away under a running collector (the spans table is detached, so every insert
 * fails inside the real engine), ingest goes on into the spool up to its budget, then storage
 * comes back: the spool drains and exactly the acknowledged spans are stored, once each.
 */
const ADMIN_TOKEN = 'durable-ingest-admin-token-0123456789'
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

const sendBatch = (key: string): Promise<SentBatch> =>
  sendTaskBatch(collector.url, key, nextTrace++)
const metric = (name: string) => metricValue(collector.url, name)

describe('ingest while ClickHouse is unavailable', () => {
  it('should answer 200 from the spool to its budget, 429 / 503 beyond, then drain exactly once', async () => {
    const before = await sendBatch(collector.apiKey)
    expect(before.status).toBe(200)
    expect(await metric('agentmeter_spool_batches')).toBe(0)

    await collector.client.command({ query: 'DETACH TABLE spans' })
    const accepted = [before.traceId]
    const refused: SentBatch[] = []

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
    await waitForDrainedSpool(collector.url, 30_000)
    expect(await metric('agentmeter_spool_replayed_batches_total')).toBe(spooled)
    expect(await metric('agentmeter_spool_replayed_spans_total')).toBe(spooled * SPANS_PER_BATCH)
    const stored = await storedTraces(collector.client)
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
