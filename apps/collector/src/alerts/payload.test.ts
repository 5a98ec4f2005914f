import { describe, expect, it } from 'vitest'
import { buildSlackMessage, buildWebhookPayload, describeFinding } from './payload'
import type { AlertRule } from './rule'

const rule: AlertRule = {
  id: 'rule-1',
  projectId: 'p',
  name: 'expensive <triage>',
  type: 'task_cost',
  taskName: '',
  thresholdUsd: '0.010000000000',
  windowMinutes: 0,
  baselineFactor: null,
  budgetPeriod: '',
  forecast: false,
  filters: { environment: '', service: '', tags: {} },
  channel: { type: 'webhook', url: 'https://hooks.example.com/x' },
  renotifyMinutes: 0,
  notifyOnResolve: true,
  enabled: true,
  createdAt: '2026-12-04T00:00:00.000Z',
  updatedAt: '2026-12-04T00:00:00.000Z',
}

const finding = {
  kind: 'firing' as const,
  subject: 'task/42',
  taskId: 'task/42',
  taskName: 'ticket-triage',
  valueUsd: '0.012345000000',
  thresholdUsd: '0.010000000000',
  details: {},
}

describe('alert payloads', () => {
  it('should carry the task id, name, exact cost, threshold and an encoded dashboard link', () => {
    const message = describeFinding(rule, finding)
    const payload = buildWebhookPayload({
      eventId: 'e1',
      createdAt: '2026-12-04T01:00:00.000Z',
      rule,
      finding,
      message,
      dashboardUrl: 'http://127.0.0.1:4318/',
    })
    expect(payload).toEqual({
      version: 1,
      eventId: 'e1',
      kind: 'firing',
      createdAt: '2026-12-04T01:00:00.000Z',
      message: 'task ticket-triage (task/42) cost $0.012345, above the threshold of $0.01',
      rule: { id: 'rule-1', name: 'expensive <triage>', type: 'task_cost' },
      taskId: 'task/42',
      taskName: 'ticket-triage',
      costUsd: 0.012345,
      costUsdDecimal: '0.012345000000',
      thresholdUsd: 0.01,
      thresholdUsdDecimal: '0.010000000000',
      link: 'http://127.0.0.1:4318/tasks/task%2F42',
      details: {},
    })
    expect(buildSlackMessage(payload)).toEqual({
      text: [
        ':rotating_light: Alert: *expensive &lt;triage&gt;*',
        'task ticket-triage (task/42) cost $0.012345, above the threshold of $0.01',
        '<http://127.0.0.1:4318/tasks/task%2F42|Open task task/42>',
      ].join('\n'),
    })
  })

  it('should say how many unpriced calls a priced figure leaves out', () => {
    const withUnpriced = (type: AlertRule['type'], unpricedCalls: number, kind = 'firing') =>
      describeFinding(
        { ...rule, type, taskName: 'triage', windowMinutes: 60 },
        { ...finding, kind: kind as 'firing', subject: '2026-12', details: { unpricedCalls } },
      )
    expect([
      withUnpriced('task_cost', 1),
      withUnpriced('task_cost_p95', 3),
      withUnpriced('spend_budget', 2),
      withUnpriced('spend_budget', 0),
      withUnpriced('unpriced_spend', 4),
    ]).toEqual([
      'task ticket-triage (task/42) cost $0.012345, above the threshold of $0.01; 1 unpriced call not included',
      'p95 cost per triage task over the last 60 min is $0.012345, above $0.01; 3 unpriced calls not included',
      'spend for 2026-12 is $0.012345, above the budget of $0.01; 2 unpriced calls not included',
      'spend for 2026-12 is $0.012345, above the budget of $0.01',
      '4 LLM call(s) in the last 60 min could not be priced: their spend is unknown',
    ])
  })

  it('should show a cost above its threshold with the digits that tell them apart', () => {
    const message = (valueUsd: string, thresholdUsd: string, kind = 'firing') =>
      describeFinding(
        { ...rule, thresholdUsd },
        { ...finding, kind: kind as 'firing', valueUsd, thresholdUsd },
      )
    expect([
      message('0.001200000000', '0.001000000000'),
      message('0.001000400000', '0.001000000000'),
      message('0.001000000001', '0.001000000000'),
      message('2.500000010000', '2.500000000000'),
      message('0.010000000000', '0.010000000000', 'test'),
    ]).toEqual([
      'task ticket-triage (task/42) cost $0.0012, above the threshold of $0.001',
      'task ticket-triage (task/42) cost $0.0010004, above the threshold of $0.001',
      'task ticket-triage (task/42) cost $0.001000000001, above the threshold of $0.001',
      'task ticket-triage (task/42) cost $2.50000001, above the threshold of $2.50',
      'Test notification, sample figures: task ticket-triage (task/42) cost $0.01, above the threshold of $0.01',
    ])
  })

  it('should keep a budget forecast apart from the budget it passes, and the spend below it', () => {
    const budget = { ...rule, type: 'spend_budget' as const, budgetPeriod: 'day' as const }
    expect(
      describeFinding(budget, {
        ...finding,
        kind: 'warning',
        subject: '2026-12-04',
        valueUsd: '0.999999990000',
        thresholdUsd: '1.000000000000',
        details: { forecastUsd: '1.000000040000' },
      }),
    ).toBe(
      'spend for 2026-12-04 is $0.99999999 and forecast to reach $1.00000004, above the budget of $1.00',
    )
  })
})
