import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createClient } from '@clickhouse/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  callApi,
  GPT4O_1000_500,
  GPT4O_MINI_22_3,
  llmSpan,
  sendSpans,
  taskRootSpan,
  type CollectorEndpoint,
} from './support/alert-spans'
import { startClickHouseShim, type ClickHouseShim } from './support/clickhouse-shim/server'
import { startCollectorProcess, type CollectorProcess } from './support/collector-process'
import { createTestWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver'

// Two collector processes behind an imaginary load balancer, on one ClickHouse (the HTTP shim):
// counts must be exact whichever collector took a span, and a breach must notify once.
let shim: ClickHouseShim
let receiver: WebhookReceiver
let dir: string
let collectors: CollectorProcess[] = []

const API_KEY = `am_multi_${Date.now().toString(36)}`

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-multi-'))
  shim = await startClickHouseShim({ path: dir })
  receiver = await createTestWebhookReceiver()
  const env = {
    AGENTMETER_CLICKHOUSE_URL: shim.url,
    AGENTMETER_INIT_PROJECT: 'multi',
    AGENTMETER_INIT_API_KEY: API_KEY,
    AGENTMETER_ALLOW_PRIVATE_WEBHOOKS: '1',
    AGENTMETER_ALERT_EVAL_INTERVAL_MS: '200',
    AGENTMETER_ALERT_TASK_CHECK_DELAY_MS: '100',
    AGENTMETER_ALERT_RETRY_BASE_MS: '100',
    AGENTMETER_ALERT_LEASE_MS: '1500',
    AGENTMETER_ALERT_REFRESH_MS: '300',
    AGENTMETER_LOG_LEVEL: 'warn',
  }
  // Started together: both migrate and provision the same project at once.
  collectors = await Promise.all([startCollectorProcess(env), startCollectorProcess(env)])
})

afterAll(async () => {
  await Promise.all(collectors.map((collector) => collector.stop()))
  await receiver?.close()
  await shim?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))

async function metric(collector: CollectorEndpoint, series: string): Promise<number> {
  const text = await (await fetch(`${collector.url}/metrics`)).text()
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `))
  return line ? Number(line.slice(series.length + 1)) : 0
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, millis = 10_000) {
  const deadline = Date.now() + millis
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${millis} ms`)
    await sleep(100)
  }
}

async function createRule(via: CollectorEndpoint, body: Record<string, unknown>) {
  const created = await callApi<{ rule: { id: string } }>(via, 'POST', '/api/v1/alert-rules', body)
  expect(created.status).toBe(201)
  return created.body.rule.id
}

/** Waits until every running collector has loaded the rule from ClickHouse. */
async function knownEverywhere(ruleId: string, running: CollectorEndpoint[]) {
  for (const collector of running) {
    await until(`rule ${ruleId} on ${collector.url}`, async () => {
      const { status } = await callApi(collector, 'GET', `/api/v1/alert-rules/${ruleId}`)
      return status === 200 ? true : undefined
    })
  }
}

interface TaskRow {
  taskId: string
  costUsd: number | null
  llmCalls: number
  inputTokens: number
  outputTokens: number
}

describe('two collectors on one ClickHouse', () => {
  it('should count exactly once whichever collector received a span', async () => {
    const [a, b] = collectors as [CollectorProcess, CollectorProcess]
    const start = new Date(Date.now() - 30_000)
    const spans = []
    for (let i = 0; i < 20; i++) {
      const root = taskRootSpan(`lb-task-${i}`, 'lb-task', start)
      const call = llmSpan(`lb-task-${i}`, root.spanId, start, GPT4O_MINI_22_3)
      // The root and its call go to different collectors, alternating.
      await sendSpans(i % 2 === 0 ? a : b, [root])
      await sendSpans(i % 2 === 0 ? b : a, [call])
      spans.push(root, call)
    }
    // An exporter that retried a batch on the other collector: still counted once.
    await sendSpans(b, spans.slice(0, 4))

    const from = new Date(start.getTime() - 60_000).toISOString()
    const to = new Date(Date.now() + 60_000).toISOString()
    const query = `/api/v1/tasks?from=${from}&to=${to}&name=lb-task&limit=100`
    for (const collector of [a, b]) {
      const { status, body } = await callApi<{ tasks: TaskRow[] }>(collector, 'GET', query)
      expect(status).toBe(200)
      expect(body.tasks).toHaveLength(20)
      for (const task of body.tasks) {
        expect(task).toMatchObject({
          costUsd: 0.0000051,
          llmCalls: 1,
          inputTokens: 22,
          outputTokens: 3,
        })
      }
    }
    // Both provisioned the project at the same moment: one project, not two.
    const store = createClient({ url: shim.url })
    const projects = await store.query({
      query: "SELECT count() AS n FROM projects FINAL WHERE name = 'multi'",
      format: 'JSONEachRow',
    })
    expect(await projects.json()).toEqual([{ n: '1' }])
    await store.close()
    const costs = await callApi<{ rows: { key: string; costUsd: number; tasks: number }[] }>(
      a,
      'GET',
      `/api/v1/costs?from=${from}&to=${to}&groupBy=task_name&name=lb-task`,
    )
    expect(costs.body.rows).toEqual([
      expect.objectContaining({ key: 'lb-task', costUsd: 0.000102, tasks: 20 }),
    ])
  })

  it('should elect exactly one collector to evaluate windowed rules', async () => {
    const leaders = await until('a leader', async () => {
      const flags = await Promise.all(collectors.map((c) => metric(c, 'agentmeter_alert_leader')))
      return flags.reduce((sum, flag) => sum + flag, 0) === 1 ? flags : undefined
    })
    expect(leaders.sort()).toEqual([0, 1])
  })

  it('should deliver one webhook for a task breach seen by both collectors', async () => {
    const [a, b] = collectors as [CollectorProcess, CollectorProcess]
    const ruleId = await createRule(a, {
      name: 'costly across collectors',
      type: 'task_cost',
      taskName: 'split-task',
      thresholdUsd: 0.005,
      channel: { type: 'webhook', url: `${receiver.url}/split` },
    })
    await knownEverywhere(ruleId, collectors)

    const start = new Date(Date.now() - 5000)
    const root = taskRootSpan('split-1', 'split-task', start)
    await sendSpans(a, [root, llmSpan('split-1', root.spanId, start, GPT4O_1000_500)])
    await sendSpans(b, [llmSpan('split-1', root.spanId, start, GPT4O_MINI_22_3)])
    await sendSpans(a, [llmSpan('split-1', root.spanId, start, GPT4O_MINI_22_3)])

    const [delivery] = await receiver.waitFor('/split', 1, 10_000)
    const payload = JSON.parse(delivery!.body) as { taskId: string; costUsdDecimal: string }
    expect(payload.taskId).toBe('split-1')
    // The exact cost of the task when a collector first saw it above the threshold: after the
    // first batch, the second, or the third (whichever check ran first).
    expect(['0.007500000000', '0.007505100000', '0.007510200000']).toContain(payload.costUsdDecimal)
    // Both collectors checked the task; give the loser every chance to send a second one.
    await sleep(2000)
    expect(receiver.accepted('/split')).toHaveLength(1)
    const won = await Promise.all(
      collectors.map((c) => metric(c, 'agentmeter_alert_claims_total{result="won"}')),
    )
    expect(won.reduce((sum, count) => sum + count, 0)).toBe(1)
  })

  it('should notify a windowed breach once, and again from the survivor after the leader dies', async () => {
    const start = new Date(Date.now() - 10_000)
    const root = taskRootSpan('window-1', 'window-task', start)
    await sendSpans(collectors[1]!, [root, llmSpan('window-1', root.spanId, start, GPT4O_1000_500)])
    const first = await createRule(collectors[1]!, {
      name: 'window p95',
      type: 'task_cost_p95',
      taskName: 'window-task',
      thresholdUsd: 0.001,
      windowMinutes: 5,
      channel: { type: 'webhook', url: `${receiver.url}/window-1` },
    })
    await knownEverywhere(first, collectors)
    await receiver.waitFor('/window-1', 1, 10_000)
    await sleep(1500)
    expect(receiver.accepted('/window-1')).toHaveLength(1)

    // Kill the leader like a crash; the other collector must take the lease over.
    const flags = await until('one leader', async () => {
      const now = await Promise.all(collectors.map((c) => metric(c, 'agentmeter_alert_leader')))
      return now.filter((flag) => flag === 1).length === 1 ? now : undefined
    })
    const leader = collectors[flags.indexOf(1)]!
    const survivor = collectors[flags.indexOf(0)]!
    await leader.kill()
    collectors = [survivor]
    await until(
      'the survivor leading',
      async () => ((await metric(survivor, 'agentmeter_alert_leader')) === 1 ? true : undefined),
      10_000,
    )
    const second = await createRule(survivor, {
      name: 'window p95 after failover',
      type: 'task_cost_p95',
      taskName: 'window-task',
      thresholdUsd: 0.001,
      windowMinutes: 5,
      channel: { type: 'webhook', url: `${receiver.url}/window-2` },
    })
    await knownEverywhere(second, [survivor])
    await receiver.waitFor('/window-2', 1, 10_000)
    await sleep(1000)
    expect(receiver.accepted('/window-2')).toHaveLength(1)
    // The first rule's breach was already told; the new leader read that and stays quiet.
    expect(receiver.accepted('/window-1')).toHaveLength(1)
  })
})
