import { describe, expect, it } from 'vitest'
import type { AlertEventView, AlertRuleView } from '../api/alerts'
import { prepareAlertEvents, prepareAlertRules } from './alerts'

function createTestRule(overrides: Partial<AlertRuleView> = {}): AlertRuleView {
  return {
    id: 'r1',
    name: 'expensive triage',
    type: 'task_cost',
    taskName: 'triage',
    thresholdUsd: 0.5,
    windowMinutes: 0,
    baselineFactor: null,
    budgetPeriod: '',
    enabled: true,
    channelType: 'webhook',
    state: 'firing',
    subject: 'task-1',
    lastNotifiedAt: '2026-12-04T10:00:00.000Z',
    breaches: 2,
    ...overrides,
  }
}

function createTestEvent(overrides: Partial<AlertEventView> = {}): AlertEventView {
  return {
    id: 'e1',
    ruleName: 'expensive triage',
    kind: 'firing',
    taskId: 'run/7',
    message: 'task triage (run/7) cost $0.75, above the threshold of $0.50',
    valueUsd: 0.75,
    thresholdUsd: 0.5,
    deliveryStatus: 'delivered',
    attempts: 3,
    lastError: '',
    createdAt: '2026-12-04T10:00:00.000Z',
    ...overrides,
  }
}

describe('prepareAlertRules', () => {
  it('should describe each rule type, its state and channel', () => {
    const rows = prepareAlertRules(
      [
        createTestRule(),
        createTestRule({
          id: 'r2',
          type: 'task_cost_p95',
          windowMinutes: 60,
          baselineFactor: 1.5,
          thresholdUsd: 0.1,
          state: 'resolved',
          subject: '',
          lastNotifiedAt: null,
          breaches: 1,
        }),
        createTestRule({
          id: 'r3',
          type: 'spend_budget',
          taskName: '',
          budgetPeriod: 'month',
          thresholdUsd: 1200,
          channelType: 'slack',
          enabled: false,
          state: 'ok',
        }),
      ],
      'UTC',
    )
    expect(rows).toEqual([
      {
        id: 'r1',
        name: 'expensive triage',
        condition: 'triage task > $0.50',
        channel: 'Webhook',
        state: { text: 'firing', tone: 'failure' },
        subject: 'task-1',
        lastNotified: '2026-12-04 10:00:00',
        breaches: '2',
        enabled: true,
        toggleLabel: 'Disable',
      },
      {
        id: 'r2',
        name: 'expensive triage',
        condition: 'p95 of triage over 60 min > max($0.10, 1.5 × previous p95)',
        channel: 'Webhook',
        state: { text: 'resolved', tone: 'success' },
        subject: '—',
        lastNotified: '—',
        breaches: '1',
        enabled: true,
        toggleLabel: 'Disable',
      },
      {
        id: 'r3',
        name: 'expensive triage',
        condition: 'spend per month > $1,200.00',
        channel: 'Slack',
        state: { text: 'disabled', tone: 'none' },
        subject: 'task-1',
        lastNotified: '2026-12-04 10:00:00',
        breaches: '2',
        enabled: false,
        toggleLabel: 'Enable',
      },
    ])
  })
})

describe('prepareAlertEvents', () => {
  it('should link task events, count retries, and show why an event was not sent', () => {
    const rows = prepareAlertEvents(
      [
        createTestEvent(),
        createTestEvent({
          id: 'e2',
          kind: 'warning',
          taskId: '',
          deliveryStatus: 'suppressed',
          attempts: 0,
          lastError: 'backlog: the task ended 180 min before its breach was seen',
        }),
      ],
      'UTC',
    )
    expect(rows).toEqual([
      {
        id: 'e1',
        time: '2026-12-04 10:00:00',
        ruleName: 'expensive triage',
        kind: { text: 'firing', tone: 'failure' },
        message: 'task triage (run/7) cost $0.75, above the threshold of $0.50',
        taskHref: '/tasks/run%2F7',
        taskId: 'run/7',
        delivery: { text: 'delivered after 3 attempts', tone: 'success' },
        deliveryNote: null,
      },
      {
        id: 'e2',
        time: '2026-12-04 10:00:00',
        ruleName: 'expensive triage',
        kind: { text: 'warning', tone: 'failure' },
        message: 'task triage (run/7) cost $0.75, above the threshold of $0.50',
        taskHref: null,
        taskId: '',
        delivery: { text: 'suppressed', tone: 'none' },
        deliveryNote: 'backlog: the task ended 180 min before its breach was seen',
      },
    ])
  })
})
