import { picoToUsd, usdToPico } from '@agentmeter/core'
import type { EventKind } from './event-store'
import { formatUsdAmounts } from './money-text'
import type { AlertRule } from './rule'

/** What an evaluation found, before it becomes an event and a message. */
export interface Finding {
  kind: EventKind
  subject: string
  taskId: string
  taskName: string
  /** The watched value (task cost, p95, spend), decimal USD; null when it is not money. */
  valueUsd: string | null
  /** The threshold it was compared with (the effective one, for a baseline rule). */
  thresholdUsd: string | null
  /** Type-specific figures for the body: forecast, baseline, period, window, counts. */
  details: Record<string, string | number | null>
}

/**
 * The JSON body of a webhook delivery (version 1). Money is given twice: as a JSON number for
 * convenience and as the exact 12-digit decimal string the store holds.
 */
export interface WebhookPayload {
  version: 1
  eventId: string
  kind: EventKind
  createdAt: string
  message: string
  rule: { id: string; name: string; type: AlertRule['type'] }
  taskId: string | null
  taskName: string | null
  costUsd: number | null
  costUsdDecimal: string | null
  thresholdUsd: number | null
  thresholdUsdDecimal: string | null
  /** The task's page in the dashboard, for task alerts. */
  link: string | null
  details: Record<string, string | number | null>
}

/** One sentence saying what happened, for the event log, the body and Slack. */
export function describeFinding(rule: AlertRule, finding: Finding): string {
  const forecast = finding.details.forecastUsd
  // Formatted together, so that amounts that differ never read alike (see money-text.ts).
  const amounts = formatUsdAmounts([
    finding.valueUsd,
    finding.thresholdUsd,
    forecast === null || forecast === undefined ? null : String(forecast),
  ])
  const prefix = finding.kind === 'test' ? 'Test notification, sample figures: ' : ''
  const base = describeCost(rule, finding, prefix, amounts as MessageAmounts)
  return rule.type === 'unpriced_spend' ? base : `${base}${unpricedClause(finding.details)}`
}

/**
 * A priced figure with unpriced calls beside it says so: `; 3 unpriced calls not included`
 * (their spend is unknown, so the figure is a lower bound).
 */
function unpricedClause(details: Finding['details']): string {
  const calls = Number(details.unpricedCalls ?? 0)
  if (!(calls > 0)) return ''
  return `; ${calls} unpriced call${calls === 1 ? '' : 's'} not included`
}

/** The value, the threshold and the forecast of a finding, as the message shows them. */
type MessageAmounts = [value: string, threshold: string, forecast: string]

function describeCost(
  rule: AlertRule,
  finding: Finding,
  prefix: string,
  [value, threshold, forecast]: MessageAmounts,
): string {
  switch (rule.type) {
    case 'task_cost':
      return `${prefix}task ${finding.taskName || finding.taskId} (${finding.taskId}) cost ${value}, above the threshold of ${threshold}`
    case 'task_cost_p95':
      if (finding.kind === 'resolved') {
        return `${prefix}p95 cost per ${rule.taskName} task is back to ${value}, at or below ${threshold}`
      }
      return `${prefix}p95 cost per ${rule.taskName} task over the last ${rule.windowMinutes} min is ${value}, above ${threshold}`
    case 'spend_budget':
      if (finding.kind === 'warning') {
        return `${prefix}spend for ${finding.subject} is ${value} and forecast to reach ${forecast}, above the budget of ${threshold}`
      }
      if (finding.kind === 'resolved' && finding.details.watching !== undefined) {
        return `${prefix}spend for ${finding.subject} is no longer watched (the rule now watches ${finding.details.watching}); it was ${value} against the budget of ${threshold}`
      }
      if (finding.kind === 'resolved') {
        return `${prefix}spend for ${finding.subject} is ${value}, within the budget of ${threshold}`
      }
      return `${prefix}spend for ${finding.subject} is ${value}, above the budget of ${threshold}`
    case 'unpriced_spend':
      if (finding.kind === 'resolved') {
        return `${prefix}no unpriced LLM calls in the last ${rule.windowMinutes} min`
      }
      return `${prefix}${finding.details.unpricedCalls ?? 0} LLM call(s) in the last ${rule.windowMinutes} min could not be priced: their spend is unknown`
  }
}

export function buildWebhookPayload(input: {
  eventId: string
  createdAt: string
  rule: AlertRule
  finding: Finding
  message: string
  dashboardUrl: string
}): WebhookPayload {
  const { rule, finding } = input
  const hasTask = finding.taskId !== ''
  return {
    version: 1,
    eventId: input.eventId,
    kind: finding.kind,
    createdAt: input.createdAt,
    message: input.message,
    rule: { id: rule.id, name: rule.name, type: rule.type },
    taskId: hasTask ? finding.taskId : null,
    taskName: hasTask ? finding.taskName : null,
    costUsd: finding.valueUsd === null ? null : Number(finding.valueUsd),
    costUsdDecimal: exact(finding.valueUsd),
    thresholdUsd: finding.thresholdUsd === null ? null : Number(finding.thresholdUsd),
    thresholdUsdDecimal: exact(finding.thresholdUsd),
    link: hasTask
      ? `${input.dashboardUrl.replace(/\/+$/, '')}/tasks/${encodeURIComponent(finding.taskId)}`
      : null,
    details: finding.details,
  }
}

/** Decimal USD in the one form the store uses, 12 fractional digits (`0.007500000000`). */
function exact(value: string | null): string | null {
  return value === null ? null : picoToUsd(usdToPico(value))
}

const TITLES: Record<EventKind, string> = {
  firing: ':rotating_light: Alert',
  renotify: ':rotating_light: Still firing',
  warning: ':warning: Forecast',
  resolved: ':white_check_mark: Resolved',
  test: ':test_tube: Test',
}

/** A Slack incoming-webhook message: a readable line, with the task linked. */
export function buildSlackMessage(payload: WebhookPayload): { text: string } {
  const lines = [`${TITLES[payload.kind]}: *${escapeSlack(payload.rule.name)}*`]
  lines.push(escapeSlack(payload.message))
  if (payload.link) lines.push(`<${payload.link}|Open task ${escapeSlack(payload.taskId ?? '')}>`)
  return { text: lines.join('\n') }
}

/** Slack's mrkdwn control characters, per its "escaping text" rules. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}
