import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  GPT4O_1000_500,
  GPT4O_MINI_22_3,
  llmSpan,
  sendSpans,
  taskRootSpan,
} from './support/alert-spans'
import { startClickHouseShim, type ClickHouseShim } from './support/clickhouse-shim/server'
import { createTestCollector, type TestCollector } from './support/test-collector'

// The collector's server path: @clickhouse/client over real HTTP to the ClickHouse HTTP shim
// (embedded engine behind it), with credentials, as a deployment with AGENTMETER_CLICKHOUSE_URL.
let shim: ClickHouseShim
let collector: TestCollector
let dir: string

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-server-store-'))
  shim = await startClickHouseShim({ path: dir, users: { agentmeter: 'pw' } })
  collector = await createTestCollector({
    env: {
      AGENTMETER_CLICKHOUSE_URL: shim.url,
      AGENTMETER_CLICKHOUSE_USER: 'agentmeter',
      AGENTMETER_CLICKHOUSE_PASSWORD: 'pw',
    },
  })
})

afterAll(async () => {
  await collector?.close()
  await shim?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

interface TaskRow {
  taskId: string
  costUsd: number | null
  llmCalls: number
  inputTokens: number
  outputTokens: number
}

describe('collector on a ClickHouse server (HTTP shim)', () => {
  it('should report ready on the server store with the schema migrated', async () => {
    const response = await fetch(`${collector.url}/readyz`)
    expect(response.status).toBe(200)
    const body = (await response.json()) as {
      store: { mode: string }
      schema: { applied: number; expected: number }
    }
    expect(body.store.mode).toBe('server')
    expect(body.schema.applied).toBe(body.schema.expected)
    // Every statement the collector sent went over HTTP to the shim.
    expect(shim.log.some((entry) => /CREATE TABLE IF NOT EXISTS spans/.test(entry.sql))).toBe(true)
  })

  it('should store, price and count tasks exactly through HTTP', async () => {
    const start = new Date(Date.now() - 60_000)
    const rootA = taskRootSpan('server-a', 'server-task', start)
    const rootB = taskRootSpan('server-b', 'server-task', start)
    await sendSpans(collector, [rootA, llmSpan('server-a', rootA.spanId, start, GPT4O_1000_500)])
    await sendSpans(collector, [
      rootB,
      llmSpan('server-b', rootB.spanId, start, GPT4O_MINI_22_3),
      llmSpan('server-b', rootB.spanId, start, GPT4O_MINI_22_3),
    ])
    const from = new Date(start.getTime() - 60_000).toISOString()
    const to = new Date(Date.now() + 60_000).toISOString()
    const { status, body } = await collector.api<{ tasks: TaskRow[] }>(
      `/api/v1/tasks?from=${from}&to=${to}&name=server-task`,
    )
    expect(status).toBe(200)
    const byId = Object.fromEntries(body.tasks.map((task) => [task.taskId, task]))
    expect(byId['server-a']).toMatchObject({
      costUsd: 0.0075,
      llmCalls: 1,
      inputTokens: 1000,
      outputTokens: 500,
    })
    expect(byId['server-b']).toMatchObject({
      costUsd: 0.0000102,
      llmCalls: 2,
      inputTokens: 44,
      outputTokens: 6,
    })
  })

  it('should store a retried batch once, through its deduplication token', async () => {
    const start = new Date(Date.now() - 60_000)
    const root = taskRootSpan('server-dup', 'server-dup-task', start)
    const batch = [root, llmSpan('server-dup', root.spanId, start, GPT4O_1000_500)]
    // An exporter whose first export timed out after ClickHouse stored it sends it again.
    await sendSpans(collector, batch)
    await sendSpans(collector, batch)
    const raw = await collector.client.query({
      query: "SELECT count() AS n FROM spans WHERE task_id = 'server-dup'",
      format: 'JSONEachRow',
    })
    // Without FINAL: the second insert was dropped by ClickHouse, not merged away later.
    expect(await raw.json()).toEqual([{ n: '2' }])
    const inserts = shim.log.filter((entry) => /^INSERT INTO spans\b/.test(entry.sql))
    expect(inserts.at(-1)?.settings.insert_deduplication_token).toMatch(/^spans-2-[0-9a-f]{64}$/)
  })
})
