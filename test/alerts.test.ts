import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifySignature } from '@agentmeter/collector'
import { usdToPico } from '@agentmeter/core'
import {
  callApi,
  GPT4O_1000_500,
  GPT4O_MINI_22_3,
  llmSpan,
  sendSpans,
  taskRootSpan,
} from './support/alert-spans'
import { createTestCollector, type TestCollector } from './support/test-collector'
import { createTestWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver'

let collector: TestCollector
let receiver: WebhookReceiver

// Task checks run with the production default delay (1 s), so the 10-second bound is shown
// under the setting users get; only retries and the cadence are shortened.
const ALERT_ENV = {
  AGENTMETER_ALLOW_PRIVATE_WEBHOOKS: '1',
  AGENTMETER_ALERT_RETRY_BASE_MS: '100',
  AGENTMETER_ALERT_EVAL_INTERVAL_MS: '500',
  AGENTMETER_ADMIN_TOKEN: 'admin-token-for-alert-tests',
}

beforeAll(async () => {
  receiver = await createTestWebhookReceiver()
  collector = await createTestCollector({ env: ALERT_ENV })
})

afterAll(async () => {
  await collector?.close()
  await receiver?.close()
})

interface RuleAnswer {
  rule: { id: string; name: string; status: { state: string } }
  secret: string
}

async function createRule(body: Record<string, unknown>): Promise<RuleAnswer> {
  const { status, body: answer } = await callApi<RuleAnswer>(
    collector,
    'POST',
    '/api/v1/alert-rules',
    body,
  )
  expect(status).toBe(201)
  return answer
}

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))

describe('task_cost alerts', () => {
  it('should deliver exactly one signed webhook within 10 s carrying the task id and exact cost', async () => {
    const { rule, secret } = await createRule({
      name: 'expensive triage',
      type: 'task_cost',
      taskName: 'triage-a',
      thresholdUsd: 0.005,
      channel: { type: 'webhook', url: `${receiver.url}/task-cost` },
    })
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/)

    const start = new Date(Date.now() - 5000)
    const root = taskRootSpan('task-above', 'triage-a', start)
    const rootSentAt = Date.now()
    await sendSpans(collector, [root])
    // The child span that carries the cost arrives later, in its own batch.
    await sleep(500)
    await sendSpans(collector, [llmSpan('task-above', root.spanId, start, GPT4O_1000_500)])
    // A task of the same name below the threshold, in full.
    const cheapRoot = taskRootSpan('task-below', 'triage-a', start)
    await sendSpans(collector, [
      cheapRoot,
      llmSpan('task-below', cheapRoot.spanId, start, GPT4O_MINI_22_3),
    ])

    const [delivery] = await receiver.waitFor('/task-cost', 1, 10_000)
    expect(delivery!.receivedAt - rootSentAt).toBeLessThan(10_000)
    // Re-touching the task (a duplicate span) and waiting must not notify again.
    await sendSpans(collector, [llmSpan('task-above', root.spanId, start, GPT4O_MINI_22_3)])
    await sleep(2500)
    expect(receiver.requests.filter((request) => request.path === '/task-cost')).toHaveLength(1)

    const timestamp = Number(delivery!.headers['x-agentmeter-timestamp'])
    const signature = String(delivery!.headers['x-agentmeter-signature'])
    expect(signature).toMatch(/^sha256=[0-9a-f]{64}$/)
    expect(verifySignature(secret, timestamp, delivery!.body, signature)).toBe(true)
    expect(verifySignature('whsec_wrong', timestamp, delivery!.body, signature)).toBe(false)

    const payload = JSON.parse(delivery!.body) as Record<string, unknown>
    expect(payload).toMatchObject({
      version: 1,
      kind: 'firing',
      rule: { id: rule.id, name: 'expensive triage', type: 'task_cost' },
      taskId: 'task-above',
      taskName: 'triage-a',
      thresholdUsd: 0.005,
      link: `${collector.url}/tasks/task-above`,
    })
    // The first re-check after the child span sees 1000 × $2.50/M + 500 × $10/M exactly.
    expect(payload.costUsd).toBe(0.0075)
    expect(usdToPico(payload.costUsdDecimal as string)).toBe(7_500_000_000n)
    expect(delivery!.headers['x-agentmeter-event-id']).toBe(payload.eventId)

    const { body: history } = await callApi<{ events: Array<Record<string, unknown>> }>(
      collector,
      'GET',
      `/api/v1/alert-events?ruleId=${rule.id}`,
    )
    expect(history.events).toHaveLength(1)
    expect(history.events[0]).toMatchObject({
      kind: 'firing',
      taskId: 'task-above',
      valueUsd: 0.0075,
      thresholdUsd: 0.005,
      deliveryStatus: 'delivered',
      attempts: 1,
    })
  })

  it('should record a replayed backlog of old expensive tasks without notifying each', async () => {
    const { rule } = await createRule({
      name: 'backlog guard',
      type: 'task_cost',
      taskName: 'replayed',
      thresholdUsd: 0.001,
      channel: { type: 'webhook', url: `${receiver.url}/backlog` },
    })
    const old = new Date(Date.now() - 3 * 60 * 60 * 1000)
    const spans = []
    for (let index = 0; index < 5; index++) {
      const root = taskRootSpan(`old-task-${index}`, 'replayed', old)
      spans.push(root, llmSpan(`old-task-${index}`, root.spanId, old, GPT4O_1000_500))
    }
    await sendSpans(collector, spans)

    const deadline = Date.now() + 10_000
    let events: Array<{ deliveryStatus: string; lastError: string; taskId: string }> = []
    while (events.length < 5 && Date.now() < deadline) {
      await sleep(200)
      events = (
        await callApi<{ events: typeof events }>(
          collector,
          'GET',
          `/api/v1/alert-events?ruleId=${rule.id}`,
        )
      ).body.events
    }
    expect(events.map((event) => event.taskId).sort()).toEqual([
      'old-task-0',
      'old-task-1',
      'old-task-2',
      'old-task-3',
      'old-task-4',
    ])
    for (const event of events) {
      expect(event.deliveryStatus).toBe('suppressed')
      expect(event.lastError).toMatch(
        /^backlog: the task ended 1[0-9]{2} min before its breach was seen/,
      )
    }
    expect(receiver.requests.filter((request) => request.path === '/backlog')).toHaveLength(0)
  })
})

describe('task_cost rule changes', () => {
  interface RuleView {
    rule: { status: { state: string; subject: string } }
  }
  const patch = (id: string, body: Record<string, unknown>) =>
    callApi<RuleView>(collector, 'PATCH', `/api/v1/alert-rules/${id}`, body)
  const sent = () => receiver.accepted('/raised').map((request) => JSON.parse(request.body))

  it('should resolve a breach at once when the threshold is raised above it, and fire anew when the task breaches again', async () => {
    const { rule } = await createRule({
      name: 'raised threshold',
      type: 'task_cost',
      taskName: 'raised-a',
      thresholdUsd: 0.005,
      channel: { type: 'webhook', url: `${receiver.url}/raised` },
    })
    const start = new Date(Date.now() - 5000)
    const root = taskRootSpan('raised-task', 'raised-a', start)
    await sendSpans(collector, [root, llmSpan('raised-task', root.spanId, start, GPT4O_1000_500)])
    await receiver.waitFor('/raised', 1, 10_000)
    const firing = await callApi<RuleView>(collector, 'GET', `/api/v1/alert-rules/${rule.id}`)
    expect(firing.body.rule.status).toMatchObject({ state: 'firing', subject: 'raised-task' })

    // $0.0075 is below the new threshold: the answer to the change already says resolved.
    const raised = await patch(rule.id, { thresholdUsd: 0.01 })
    expect(raised.status).toBe(200)
    expect(raised.body.rule.status).toMatchObject({ state: 'resolved', subject: 'raised-task' })
    // Back down, the task is not told again by the change itself: only its next spans check it.
    expect((await patch(rule.id, { thresholdUsd: 0.0075 })).body.rule.status).toMatchObject({
      state: 'resolved',
    })
    await sleep(1500)
    expect(sent().map((payload) => payload.kind)).toEqual(['firing'])

    // One more call ($0.0000051) takes the task above $0.0075: a new breach, notified once.
    await sendSpans(collector, [llmSpan('raised-task', root.spanId, start, GPT4O_MINI_22_3)])
    await receiver.waitFor('/raised', 2, 10_000)
    await sleep(1500)
    expect(
      sent().map((payload) => [payload.kind, payload.costUsdDecimal, payload.message]),
    ).toEqual([
      [
        'firing',
        '0.007500000000',
        'task raised-a (raised-task) cost $0.0075, above the threshold of $0.005',
      ],
      [
        'firing',
        '0.007505100000',
        'task raised-a (raised-task) cost $0.007505, above the threshold of $0.0075',
      ],
    ])
    const again = await callApi<RuleView>(collector, 'GET', `/api/v1/alert-rules/${rule.id}`)
    expect(again.body.rule.status).toMatchObject({ state: 'firing', subject: 'raised-task' })
  })

  it('should resolve a breach when the task name or a filter no longer selects the task, and keep the one it still selects', async () => {
    const { rule } = await createRule({
      name: 'any triage',
      type: 'task_cost',
      thresholdUsd: 0.005,
      channel: { type: 'webhook', url: `${receiver.url}/refiltered` },
    })
    const start = new Date(Date.now() - 5000)
    const prod = taskRootSpan('refilter-prod', 'refilter-a', start, { env: 'prod' })
    const dev = taskRootSpan('refilter-dev', 'refilter-a', start, { env: 'dev' })
    await sendSpans(collector, [
      prod,
      llmSpan('refilter-prod', prod.spanId, start, GPT4O_1000_500),
      dev,
      llmSpan('refilter-dev', dev.spanId, start, GPT4O_1000_500),
    ])
    await receiver.waitFor('/refiltered', 2, 10_000)

    const narrowed = await patch(rule.id, { tags: { env: 'prod' } })
    expect(narrowed.body.rule.status).toMatchObject({ state: 'firing', subject: 'refilter-prod' })
    const renamed = await patch(rule.id, { taskName: 'another-task' })
    expect(renamed.body.rule.status).toMatchObject({ state: 'resolved' })
    const { body } = await callApi<{ events: Array<{ kind: string; taskId: string }> }>(
      collector,
      'GET',
      `/api/v1/alert-events?ruleId=${rule.id}`,
    )
    expect(body.events.map((event) => [event.kind, event.taskId]).sort()).toEqual([
      ['firing', 'refilter-dev'],
      ['firing', 'refilter-prod'],
    ])
  })
})

describe('delivery', () => {
  it('should retry a receiver that fails twice and deliver once, logging every attempt', async () => {
    const { rule } = await createRule({
      name: 'flaky receiver',
      type: 'task_cost',
      taskName: 'flaky',
      thresholdUsd: 0.001,
      channel: { type: 'webhook', url: `${receiver.url}/flaky` },
    })
    receiver.failNext('/flaky', 2, 503)
    const start = new Date(Date.now() - 3000)
    const root = taskRootSpan('flaky-task', 'flaky', start)
    await sendSpans(collector, [root, llmSpan('flaky-task', root.spanId, start, GPT4O_1000_500)])

    await receiver.waitFor('/flaky', 1, 10_000)
    await sleep(500)
    const all = receiver.requests.filter((request) => request.path === '/flaky')
    expect(all.map((request) => request.status)).toEqual([503, 503, 200])
    // Every retry is the same event, so a receiver can deduplicate on the id.
    expect(new Set(all.map((request) => request.headers['x-agentmeter-event-id'])).size).toBe(1)

    const { body } = await callApi<{
      events: Array<{ id: string; attempts: number; deliveryStatus: string }>
    }>(collector, 'GET', `/api/v1/alert-events?ruleId=${rule.id}`)
    expect(body.events).toHaveLength(1)
    expect(body.events[0]).toMatchObject({ attempts: 3, deliveryStatus: 'delivered' })
    const { body: log } = await callApi<{ deliveries: Array<Record<string, unknown>> }>(
      collector,
      'GET',
      `/api/v1/alert-events/${body.events[0]!.id}/deliveries`,
    )
    expect(
      log.deliveries.map(({ attempt, ok, statusCode, error }) => ({
        attempt,
        ok,
        statusCode,
        error,
      })),
    ).toEqual([
      { attempt: 1, ok: false, statusCode: 503, error: 'the receiver answered 503' },
      { attempt: 2, ok: false, statusCode: 503, error: 'the receiver answered 503' },
      { attempt: 3, ok: true, statusCode: 200, error: '' },
    ])
  })

  it('should send a readable Slack message on test-send', async () => {
    const { rule } = await createRule({
      name: 'slack budget',
      type: 'task_cost',
      thresholdUsd: 0.25,
      channel: { type: 'slack', url: `${receiver.url}/slack` },
    })
    const { status, body } = await callApi<{ event: { kind: string; deliveryStatus: string } }>(
      collector,
      'POST',
      `/api/v1/alert-rules/${rule.id}/test`,
    )
    expect(status).toBe(200)
    expect(body.event).toMatchObject({ kind: 'test', deliveryStatus: 'delivered' })
    const [message] = receiver.accepted('/slack')
    expect(JSON.parse(message!.body)).toEqual({
      text: [
        ':test_tube: Test: *slack budget*',
        'Test notification, sample figures: task test-task (test-task) cost $0.50, above the threshold of $0.25',
        `<${collector.url}/tasks/test-task|Open task test-task>`,
      ].join('\n'),
    })
  })
})

describe('rule management', () => {
  it('should list, edit, disable and delete a rule', async () => {
    const { rule } = await createRule({
      name: 'to edit',
      type: 'spend_budget',
      thresholdUsd: 100,
      tags: { team: 'support' },
      channel: { type: 'webhook', url: `${receiver.url}/edit` },
    })
    const patched = await callApi<{ rule: Record<string, unknown> }>(
      collector,
      'PATCH',
      `/api/v1/alert-rules/${rule.id}`,
      { thresholdUsd: 250.5, enabled: false, budgetPeriod: 'month' },
    )
    expect(patched.status).toBe(200)
    expect(patched.body.rule).toMatchObject({
      id: rule.id,
      name: 'to edit',
      type: 'spend_budget',
      thresholdUsd: 250.5,
      budgetPeriod: 'month',
      forecast: true,
      tags: { team: 'support' },
      enabled: false,
      status: { state: 'ok' },
    })
    expect(patched.body.rule).not.toHaveProperty('secret')

    const listed = await callApi<{ rules: Array<{ id: string; enabled: boolean }> }>(
      collector,
      'GET',
      '/api/v1/alert-rules',
    )
    expect(listed.body.rules.find((candidate) => candidate.id === rule.id)).toMatchObject({
      enabled: false,
    })

    expect((await callApi(collector, 'DELETE', `/api/v1/alert-rules/${rule.id}`)).status).toBe(200)
    expect((await callApi(collector, 'GET', `/api/v1/alert-rules/${rule.id}`)).status).toBe(404)
  })

  it('should refuse invalid rules with a message naming the field, the value and what was expected', async () => {
    const base = {
      name: 'bad',
      type: 'task_cost',
      thresholdUsd: 1,
      channel: { type: 'webhook', url: 'https://hooks.example.com/x' },
    }
    const cases: Array<[Record<string, unknown>, string]> = [
      [
        { ...base, type: 'cost_spike' },
        'type must be one of task_cost, task_cost_p95, spend_budget, unpriced_spend, got "cost_spike"',
      ],
      [
        { ...base, thresholdUsd: -0.5 },
        'thresholdUsd must be a non-negative number of USD (such as 0.5), got -0.5',
      ],
      [
        { ...base, channel: { type: 'webhook', url: 'not a url' } },
        'channel.url must be an absolute http or https URL such as https://hooks.example.com/agentmeter, got a malformed URL "not a url"',
      ],
      [
        { ...base, channel: { type: 'webhook', url: 'ftp://hooks.example.com/x' } },
        'channel.url must use the http or https scheme, got "ftp"',
      ],
      [
        { ...base, channel: { type: 'email', url: 'https://hooks.example.com/x' } },
        'channel.type must be one of webhook, slack, got "email"',
      ],
      [
        { ...base, threshold: 1 },
        'unknown field "threshold"; expected one of name, type, taskName, thresholdUsd, windowMinutes, baselineFactor, budgetPeriod, forecast, environment, service, tags, channel, renotifyMinutes, notifyOnResolve, enabled',
      ],
    ]
    for (const [body, message] of cases) {
      const answer = await callApi<{ error: string }>(
        collector,
        'POST',
        '/api/v1/alert-rules',
        body,
      )
      expect({ status: answer.status, error: answer.body.error }).toEqual({
        status: 400,
        error: message,
      })
    }
  })

  it('should keep rules to their project and changes to admin keys', async () => {
    const { rule } = await createRule({
      name: 'scoped',
      type: 'task_cost',
      thresholdUsd: 1,
      channel: { type: 'webhook', url: `${receiver.url}/scoped` },
    })
    const admin = (route: string, body: unknown) =>
      fetch(`${collector.url}/api/v1/admin${route}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ALERT_ENV.AGENTMETER_ADMIN_TOKEN}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify(body),
      }).then((response) => response.json() as Promise<{ key: string }>)
    const as = (key: string, method: string, route: string, body?: unknown) =>
      fetch(`${collector.url}/api/v1${route}`, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (response) => ({ status: response.status, body: await response.json() }))

    const other = await admin('/projects', { name: 'another-team' })
    expect(await as(other.key, 'GET', '/alert-rules')).toEqual({ status: 200, body: { rules: [] } })
    expect((await as(other.key, 'GET', `/alert-rules/${rule.id}`)).status).toBe(404)
    expect((await as(other.key, 'DELETE', `/alert-rules/${rule.id}`)).status).toBe(404)

    const reader = await admin('/keys', { project: 'test-project', scopes: ['read'] })
    const listed = await as(reader.key, 'GET', `/alert-rules/${rule.id}`)
    expect(listed.status).toBe(200)
    expect(await as(reader.key, 'PATCH', `/alert-rules/${rule.id}`, { enabled: false })).toEqual({
      status: 403,
      body: { error: 'changing alert rules needs the admin scope (this key has: read)' },
    })
  })

  it('should describe the alert routes in the OpenAPI document', async () => {
    const { body } = await callApi<{ paths: Record<string, Record<string, unknown>> }>(
      collector,
      'GET',
      '/api/v1/openapi.json',
    )
    expect(Object.keys(body.paths['/api/v1/alert-rules/{id}']!).sort()).toEqual([
      'delete',
      'get',
      'patch',
    ])
    expect(Object.keys(body.paths['/api/v1/alert-events']!)).toEqual(['get'])
  })
})
