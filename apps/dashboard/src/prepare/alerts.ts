import type { AlertEventView, AlertRuleView, AlertState } from '../api/alerts'
import { taskHref } from '../routing/route'
import { formatUsdExact } from './format-money'
import { formatTimestamp } from './format-time'
import { NO_VALUE } from './placeholders'

/** A tone for the badge colour (the outcome classes), a word for the text. */
export interface Badge {
  text: string
  tone: 'success' | 'failure' | 'none'
}

export interface AlertRuleRow {
  id: string
  name: string
  /** What the rule watches, in words: `any task > $0.50`, `p95 of triage over 60 min > $0.10`. */
  condition: string
  channel: string
  state: Badge
  /** The subject of the state: a task id, a budget period, or `—`. */
  subject: string
  lastNotified: string
  breaches: string
  enabled: boolean
  /** Label of the enable/disable button. */
  toggleLabel: string
}

export interface AlertEventRow {
  id: string
  time: string
  ruleName: string
  kind: Badge
  message: string
  /** Link to the task the event is about, or null for windowed rules. */
  taskHref: string | null
  taskId: string
  delivery: Badge
  /** Why it was not delivered (last error or suppression reason), or null. */
  deliveryNote: string | null
}

const STATE_BADGES: Record<AlertState, Badge> = {
  ok: { text: 'ok', tone: 'success' },
  warning: { text: 'warning', tone: 'failure' },
  firing: { text: 'firing', tone: 'failure' },
  resolved: { text: 'resolved', tone: 'success' },
}

/** Rows of the rules table, in the order the API lists them (creation). */
export function prepareAlertRules(rules: AlertRuleView[], timeZone?: string): AlertRuleRow[] {
  return rules.map((rule) => ({
    id: rule.id,
    name: rule.name,
    condition: describeCondition(rule),
    channel: rule.channelType === 'slack' ? 'Slack' : 'Webhook',
    state: rule.enabled ? STATE_BADGES[rule.state] : { text: 'disabled', tone: 'none' },
    subject: rule.subject === '' ? NO_VALUE : rule.subject,
    lastNotified: rule.lastNotifiedAt ? formatTimestamp(rule.lastNotifiedAt, timeZone) : NO_VALUE,
    breaches: String(rule.breaches),
    enabled: rule.enabled,
    toggleLabel: rule.enabled ? 'Disable' : 'Enable',
  }))
}

/** Rows of the history table, newest first as the API sends them. */
export function prepareAlertEvents(events: AlertEventView[], timeZone?: string): AlertEventRow[] {
  return events.map((event) => ({
    id: event.id,
    time: formatTimestamp(event.createdAt, timeZone),
    ruleName: event.ruleName,
    kind: {
      text: event.kind,
      tone: event.kind === 'resolved' ? 'success' : event.kind === 'test' ? 'none' : 'failure',
    },
    message: event.message,
    taskHref: event.taskId && event.kind !== 'test' ? taskHref(event.taskId) : null,
    taskId: event.taskId,
    delivery: {
      text:
        event.deliveryStatus === 'delivered' && event.attempts > 1
          ? `delivered after ${event.attempts} attempts`
          : event.deliveryStatus,
      tone:
        event.deliveryStatus === 'delivered'
          ? 'success'
          : event.deliveryStatus === 'failed'
            ? 'failure'
            : 'none',
    },
    deliveryNote:
      event.deliveryStatus === 'delivered' || event.lastError === '' ? null : event.lastError,
  }))
}

function describeCondition(rule: AlertRuleView): string {
  // A threshold is a figure the user set: written exactly as set, like a price.
  const threshold = formatUsdExact(rule.thresholdUsd)
  const tasks = rule.taskName ? `${rule.taskName} task` : 'any task'
  switch (rule.type) {
    case 'task_cost':
      return `${tasks} > ${threshold}`
    case 'task_cost_p95': {
      const limit =
        rule.baselineFactor === null
          ? threshold
          : `max(${threshold}, ${rule.baselineFactor} × previous p95)`
      return `p95 of ${rule.taskName} over ${rule.windowMinutes} min > ${limit}`
    }
    case 'spend_budget':
      return `spend per ${rule.budgetPeriod || 'day'} > ${threshold}`
    case 'unpriced_spend':
      return `unpriced calls over ${rule.windowMinutes} min`
    default:
      return rule.type
  }
}
