import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { usdToPico } from '@agentmeter/core'
import {
  callApi,
  GPT4O_1000_500,
  GPT4O_MINI_22_3,
  llmSpan,
  sendSpans,
  taskRootSpan,
} from './support/alert-spans'
import type { JsonSpanInput } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'
import { clearOfUtcMidnight } from './support/utc-day'
import { createTestWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver'

/** The longest a budget test takes from its first reading of the clock to its last assertion. */
const MIDNIGHT_MARGIN_MILLIS = 30_000

let collector: TestCollector
let receiver: WebhookReceiver

beforeAll(async () => {
  receiver = await createTestWebhookReceiver()
  collector = await createTestCollector({
    env: {
      AGENTMETER_ALLOW_PRIVATE_WEBHOOKS: '1',
      AGENTMETER_ALERT_EVAL_INTERVAL_MS: '200',
      AGENTMETER_ALERT_RETRY_BASE_MS: '100',
      AGENTMETER_ALERT_FORECAST_MIN_ELAPSED_MS: '0',
    },
  })
})

afterAll(async () => {
  await collector?.close()
  await receiver?.close()
})

async function createRule(body: Record<string, unknown>): Promise<string> {
  const { status, body: answer } = await callApi<{ rule: { id: string } }>(
    collector,
    'POST',
    '/api/v1/alert-rules',
    body,
  )
  expect(status).toBe(201)
  return answer.rule.id
}

function tasks(
  prefix: string,
  count: number,
  name: string,
  start: Date,
  call: { model: string; input: number; output: number },
  attributes: Record<string, string> = {},
): JsonSpanInput[] {
  const spans: JsonSpanInput[] = []
  for (let index = 0; index < count; index++) {
    const root = taskRootSpan(`${prefix}-${index}`, name, start, attributes)
    spans.push(root, llmSpan(`${prefix}-${index}`, root.spanId, start, call))
  }
  return spans
}

function payloads(path: string): Array<Record<string, unknown>> {
  return receiver.accepted(path).map((request) => JSON.parse(request.body))
}

const ruleStatus = async (id: string) =>
  (
    await callApi<{ rule: { status: { state: string } } }>(
      collector,
      'GET',
      `/api/v1/alert-rules/${id}`,
    )
  ).body.rule.status

describe('task_cost_p95 alerts', () => {
  it('should fire when the p95 cost per task passes the threshold and resolve when it falls back', async () => {
    const id = await createRule({
      name: 'p95 of research',
      type: 'task_cost_p95',
      taskName: 'p95-research',
      thresholdUsd: 0.005,
      windowMinutes: 10,
      channel: { type: 'webhook', url: `${receiver.url}/p95` },
    })
    const now = new Date(Date.now() - 5000)
    await sendSpans(collector, tasks('p95-expensive', 2, 'p95-research', now, GPT4O_1000_500))

    const [firing] = await receiver.waitFor('/p95', 1)
    expect(JSON.parse(firing!.body)).toMatchObject({
      kind: 'firing',
      rule: { id, type: 'task_cost_p95' },
      taskId: null,
      costUsd: 0.0075,
      thresholdUsd: 0.005,
      details: { tasks: 2, windowMinutes: 10 },
    })
    expect(await ruleStatus(id)).toMatchObject({ state: 'firing' })

    // 40 cheap tasks push the two expensive ones above the 95th percentile.
    await sendSpans(collector, tasks('p95-cheap', 40, 'p95-research', now, GPT4O_MINI_22_3))
    await receiver.waitFor('/p95', 2)
    await new Promise((resolve) => setTimeout(resolve, 600))
    const sent = payloads('/p95')
    expect(sent.map((payload) => payload.kind)).toEqual(['firing', 'resolved'])
    expect(sent[1]).toMatchObject({ costUsd: 0.0000051, details: { tasks: 42 } })
    expect(await ruleStatus(id)).toMatchObject({ state: 'resolved' })
  })

  it('should fire above k times the p95 of the previous window', async () => {
    await createRule({
      name: 'research drift',
      type: 'task_cost_p95',
      taskName: 'p95-drift',
      thresholdUsd: 0,
      windowMinutes: 1,
      baselineFactor: 3,
      channel: { type: 'webhook', url: `${receiver.url}/drift` },
    })
    // Baseline: cheap tasks 90 s ago (the previous 1-minute window); now: expensive ones.
    await sendSpans(collector, [
      ...tasks('drift-before', 3, 'p95-drift', new Date(Date.now() - 90_000), GPT4O_MINI_22_3),
      ...tasks('drift-now', 3, 'p95-drift', new Date(Date.now() - 5000), GPT4O_1000_500),
    ])
    const [firing] = await receiver.waitFor('/drift', 1)
    const payload = JSON.parse(firing!.body) as { details: Record<string, unknown> }
    expect(payload).toMatchObject({ kind: 'firing', costUsd: 0.0075 })
    expect(payload.details).toMatchObject({ baselineFactor: 3, tasks: 3 })
    expect(usdToPico(payload.details.baselineP95Usd as string)).toBe(5_100_000n)
    // The effective threshold: 3 × $0.0000051.
    expect(
      usdToPico((payload as unknown as { thresholdUsdDecimal: string }).thresholdUsdDecimal),
    ).toBe(15_300_000n)
  })
})

describe('spend_budget alerts', () => {
  it('should warn on the forecast first and fire once the budget is exceeded', async () => {
    // The evaluator forecasts the day from its own clock, moments after this one: both must
    // read the same UTC day, far enough into it that those moments barely move the forecast.
    await clearOfUtcMidnight(MIDNIGHT_MARGIN_MILLIS)
    const now = new Date()
    const dayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate())
    const stretch = 86_400_000 / (now.getTime() - dayStart)
    // A budget between the spend so far ($0.0075) and its linear forecast for the day.
    const budget = Math.round(0.0075 * (1 + (stretch - 1) / 2) * 1e9) / 1e9
    const id = await createRule({
      name: 'support team daily budget',
      type: 'spend_budget',
      thresholdUsd: budget,
      budgetPeriod: 'day',
      tags: { team: 'support' },
      channel: { type: 'webhook', url: `${receiver.url}/budget` },
    })
    const start = new Date(now.getTime() - 2000)
    await sendSpans(collector, [
      ...tasks('budget-1', 1, 'budget-task', start, GPT4O_1000_500, { team: 'support' }),
      // Another team's spend does not count against this budget.
      ...tasks('budget-other', 3, 'budget-task', start, GPT4O_1000_500, { team: 'sales' }),
    ])
    const [warning] = await receiver.waitFor('/budget', 1)
    const today = now.toISOString().slice(0, 10)
    const warned = JSON.parse(warning!.body) as { details: { forecastUsd: string } }
    expect(warned).toMatchObject({
      kind: 'warning',
      costUsd: 0.0075,
      thresholdUsd: budget,
      details: { period: today },
    })
    expect(Number(warned.details.forecastUsd)).toBeGreaterThan(budget)
    expect(await ruleStatus(id)).toMatchObject({ state: 'warning', subject: today })

    // One task of `more` times the first one's tokens (early in the day the budget is many
    // times the first spend, and as many tasks would be thousands).
    const more = Math.ceil((budget - 0.0075) / 0.0075) + 1
    const scaled = { ...GPT4O_1000_500, input: 1000 * more, output: 500 * more }
    await sendSpans(
      collector,
      tasks('budget-2', 1, 'budget-task', start, scaled, { team: 'support' }),
    )
    await receiver.waitFor('/budget', 2)
    await new Promise((resolve) => setTimeout(resolve, 600))
    const sent = payloads('/budget')
    expect(sent.map((payload) => payload.kind)).toEqual(['warning', 'firing'])
    expect(usdToPico(sent[1]!.costUsdDecimal as string)).toBe(7_500_000_000n * BigInt(more + 1))
    expect(await ruleStatus(id)).toMatchObject({ state: 'firing', subject: today })
  }, 120_000)
})

describe('windowed rule changes', () => {
  const patch = (id: string, body: Record<string, unknown>) =>
    callApi<{ rule: { status: { state: string; subject: string } } }>(
      collector,
      'PATCH',
      `/api/v1/alert-rules/${id}`,
      body,
    )

  it('should resolve a firing p95 at once when its threshold is raised above it', async () => {
    const id = await createRule({
      name: 'p95 raised',
      type: 'task_cost_p95',
      taskName: 'p95-raised',
      thresholdUsd: 0.005,
      windowMinutes: 10,
      channel: { type: 'webhook', url: `${receiver.url}/p95-raised` },
    })
    await sendSpans(
      collector,
      tasks('p95-raised', 2, 'p95-raised', new Date(Date.now() - 5000), GPT4O_1000_500),
    )
    await receiver.waitFor('/p95-raised', 1)
    const raised = await patch(id, { thresholdUsd: 0.01 })
    expect(raised.body.rule.status).toMatchObject({ state: 'resolved' })
    await receiver.waitFor('/p95-raised', 2)
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(payloads('/p95-raised').map((payload) => [payload.kind, payload.message])).toEqual([
      ['firing', 'p95 cost per p95-raised task over the last 10 min is $0.0075, above $0.005'],
      ['resolved', 'p95 cost per p95-raised task is back to $0.0075, at or below $0.01'],
    ])
  })

  it('should close the budget period a change of period leaves behind, with its resolved notification', async () => {
    // The day and month named below are the evaluator's, read from its own clock.
    await clearOfUtcMidnight(MIDNIGHT_MARGIN_MILLIS)
    const now = new Date()
    const today = now.toISOString().slice(0, 10)
    const month = today.slice(0, 7)
    const id = await createRule({
      name: 'budget per period',
      type: 'spend_budget',
      thresholdUsd: 0.005,
      budgetPeriod: 'day',
      forecast: false,
      tags: { team: 'period-change' },
      channel: { type: 'webhook', url: `${receiver.url}/period` },
    })
    await sendSpans(
      collector,
      tasks('period', 1, 'period-task', new Date(now.getTime() - 2000), GPT4O_1000_500, {
        team: 'period-change',
      }),
    )
    await receiver.waitFor('/period', 1)
    expect(await ruleStatus(id)).toMatchObject({ state: 'firing', subject: today })

    const changed = await patch(id, { budgetPeriod: 'month', thresholdUsd: 1 })
    expect(changed.body.rule.status).toMatchObject({ state: 'resolved', subject: today })
    await receiver.waitFor('/period', 2)
    // Later rounds of the cadence leave it so: the month is within its budget.
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(await ruleStatus(id)).toMatchObject({ state: 'resolved', subject: today })
    expect(payloads('/period').map((payload) => [payload.kind, payload.message])).toEqual([
      ['firing', `spend for ${today} is $0.0075, above the budget of $0.005`],
      [
        'resolved',
        `spend for ${today} is no longer watched (the rule now watches ${month}); it was $0.0075 against the budget of $1.00`,
      ],
    ])
  }, 120_000)
})

describe('unpriced_spend alerts', () => {
  it('should fire when calls to a model nobody prices appear', async () => {
    await createRule({
      name: 'unpriced models',
      type: 'unpriced_spend',
      taskName: 'unpriced-task',
      windowMinutes: 10,
      channel: { type: 'webhook', url: `${receiver.url}/unpriced` },
    })
    await sendSpans(
      collector,
      tasks('unpriced', 2, 'unpriced-task', new Date(Date.now() - 3000), {
        model: 'acme-9000',
        input: 10,
        output: 10,
      }),
    )
    const [firing] = await receiver.waitFor('/unpriced', 1)
    expect(JSON.parse(firing!.body)).toMatchObject({
      kind: 'firing',
      costUsd: null,
      message: '2 LLM call(s) in the last 10 min could not be priced: their spend is unknown',
      details: { unpricedCalls: 2 },
    })
  })
})
