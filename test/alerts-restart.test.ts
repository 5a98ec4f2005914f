import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApi, GPT4O_1000_500, llmSpan, sendSpans, taskRootSpan } from './support/alert-spans'
import { createTestCollector, type TestCollector } from './support/test-collector'
import { createTestWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver'

let receiver: WebhookReceiver
let dataDir: string

const ENV = {
  AGENTMETER_ALLOW_PRIVATE_WEBHOOKS: '1',
  AGENTMETER_ALERT_EVAL_INTERVAL_MS: '200',
  AGENTMETER_ALERT_TASK_CHECK_DELAY_MS: '100',
}

beforeAll(async () => {
  receiver = await createTestWebhookReceiver()
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-alerts-restart-'))
})

afterAll(async () => {
  await receiver?.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

/** A collector on the shared data directory, so a second one sees the first one's state. */
function startOnSharedData(): Promise<TestCollector> {
  return createTestCollector({ env: { ...ENV, AGENTMETER_DATA_DIR: dataDir } })
}

async function evaluations(collector: TestCollector): Promise<number> {
  const text = await (await fetch(`${collector.url}/metrics`)).text()
  return Number(/^agentmeter_alert_evaluations_total (\d+)$/m.exec(text)?.[1] ?? 0)
}

describe('alert state across a restart', () => {
  it('should not notify again for breaches already sent before the restart', async () => {
    const start = new Date(Date.now() - 5000)
    const first = await startOnSharedData()
    const ruleIds: string[] = []
    try {
      for (const [name, body] of [
        ['task', { type: 'task_cost', taskName: 'restart-task', thresholdUsd: 0.001 }],
        ['p95', { type: 'task_cost_p95', taskName: 'restart-task', thresholdUsd: 0.001 }],
      ] as const) {
        const created = await callApi<{ rule: { id: string } }>(
          first,
          'POST',
          '/api/v1/alert-rules',
          {
            name: `restart ${name}`,
            ...body,
            channel: { type: 'webhook', url: `${receiver.url}/${name}` },
          },
        )
        expect(created.status).toBe(201)
        ruleIds.push(created.body.rule.id)
      }
      const root = taskRootSpan('before-restart', 'restart-task', start)
      await sendSpans(first, [root, llmSpan('before-restart', root.spanId, start, GPT4O_1000_500)])
      await receiver.waitFor('/task', 1)
      await receiver.waitFor('/p95', 1)
    } finally {
      await first.close()
    }

    const second = await startOnSharedData()
    try {
      const listed = await callApi<{ rules: Array<{ id: string; status: { state: string } }> }>(
        second,
        'GET',
        '/api/v1/alert-rules',
      )
      expect(listed.body.rules.map((rule) => [rule.id, rule.status.state])).toEqual([
        [ruleIds[0], 'firing'],
        [ruleIds[1], 'firing'],
      ])

      // More spans of the task that already alerted, and a new task that breaches too.
      const root = taskRootSpan('after-restart', 'restart-task', start)
      await sendSpans(second, [
        llmSpan('before-restart', root.spanId, start, GPT4O_1000_500),
        root,
        llmSpan('after-restart', root.spanId, start, GPT4O_1000_500),
      ])
      const delivered = await receiver.waitFor('/task', 2)
      const baseline = await evaluations(second)
      while ((await evaluations(second)) < baseline + 3) {
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      await new Promise((resolve) => setTimeout(resolve, 300))

      expect(delivered.map((request) => JSON.parse(request.body).taskId)).toEqual([
        'before-restart',
        'after-restart',
      ])
      expect(receiver.requests.filter((request) => request.path === '/task')).toHaveLength(2)
      // The p95 breach is still on and was notified before the restart: nothing new.
      expect(receiver.requests.filter((request) => request.path === '/p95')).toHaveLength(1)
    } finally {
      await second.close()
    }
  })
})
