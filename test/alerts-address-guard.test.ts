import dns from 'node:dns/promises'
import os from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { callApi } from './support/alert-spans'
import { createTestCollector, type TestCollector } from './support/test-collector'
import { createTestWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver'

// This collector runs WITHOUT AGENTMETER_ALLOW_PRIVATE_WEBHOOKS: private targets are refused.
let collector: TestCollector
let receiver: WebhookReceiver

beforeAll(async () => {
  receiver = await createTestWebhookReceiver()
  collector = await createTestCollector()
})

afterAll(async () => {
  await collector?.close()
  await receiver?.close()
})

const rule = (url: string) => ({
  name: 'guarded',
  type: 'task_cost',
  thresholdUsd: 1,
  channel: { type: 'webhook', url },
})

describe('webhook address guard', () => {
  it('should refuse loopback and private literals and localhost when the rule is created', async () => {
    const answers = await Promise.all(
      ['http://127.0.0.1:9/x', 'http://[::1]/x', 'https://10.0.0.8/hook', 'http://localhost/x'].map(
        async (url) =>
          (await callApi<{ error: string }>(collector, 'POST', '/api/v1/alert-rules', rule(url)))
            .body.error,
      ),
    )
    const suffix =
      'webhooks to loopback, private or link-local addresses are refused unless AGENTMETER_ALLOW_PRIVATE_WEBHOOKS=1'
    expect(answers).toEqual([
      `channel.url targets 127.0.0.1, a loopback address; ${suffix}`,
      `channel.url targets [::1], a loopback address; ${suffix}`,
      `channel.url targets 10.0.0.8, a private address; ${suffix}`,
      `channel.url targets localhost, a loopback name; ${suffix}`,
    ])
  })

  it('should refuse at delivery a name that resolves to a non-public address', async () => {
    // The machine's own host name passes the creation check (it is a name, not a literal) and
    // resolves to this machine: the case of a DNS name rebound to an internal address.
    const host = os.hostname()
    const { address } = await dns.lookup(host, { family: 4 })
    expect(address).toMatch(/^(127\.|10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.)/)
    const port = new URL(receiver.url).port
    const created = await callApi<{ rule: { id: string } }>(
      collector,
      'POST',
      '/api/v1/alert-rules',
      rule(`http://${host}:${port}/rebound`),
    )
    expect(created.status).toBe(201)

    const { body } = await callApi<{ event: Record<string, unknown> }>(
      collector,
      'POST',
      `/api/v1/alert-rules/${created.body.rule.id}/test`,
    )
    expect(body.event).toMatchObject({ deliveryStatus: 'failed', attempts: 1 })
    expect(body.event.lastError).toMatch(
      new RegExp(
        `^webhook host ${host} resolved to ${address.replace(/\./g, '\\.')}, a (loopback|private) address; set AGENTMETER_ALLOW_PRIVATE_WEBHOOKS=1 to allow loopback, private and link-local targets$`,
      ),
    )
    expect(receiver.requests).toHaveLength(0)
  })
})
