import { randomUUID } from 'node:crypto'
import { ALERT_EVENTS } from '../metric-catalog'
import type { Metrics } from '../metrics'
import type { Deliverer } from './delivery'
import type { AlertEvent, EventStore } from './event-store'
import { buildWebhookPayload, describeFinding, type Finding } from './payload'
import type { StoredRule } from './rule'

export interface NotifierOptions {
  /** Base URL of the dashboard, for task links. */
  dashboardUrl: () => string
  /** Per rule; notifications beyond it in a minute are recorded as suppressed, not sent. */
  maxPerMinute: number
}

/**
 * Turns findings into events: `record` stores the event (pending, or suppressed with the
 * reason), `send` hands a pending one to the deliverer. They are apart so that a caller can
 * store the rule's new state between them: a breach is on record before anyone is told.
 */
export class Notifier {
  private recent = new Map<string, number[]>()

  constructor(
    private readonly events: EventStore,
    private readonly deliverer: Deliverer,
    private readonly metrics: Metrics,
    private readonly options: NotifierOptions,
  ) {}

  async record(
    rule: StoredRule,
    finding: Finding,
    suppressedBecause: string | null = null,
  ): Promise<AlertEvent> {
    const now = new Date()
    const reason = suppressedBecause ?? this.overRateLimit(rule.id, now.getTime(), finding)
    const id = randomUUID()
    const message = describeFinding(rule, finding)
    const payload = buildWebhookPayload({
      eventId: id,
      createdAt: now.toISOString(),
      rule,
      finding,
      message,
      dashboardUrl: this.options.dashboardUrl(),
    })
    const event: AlertEvent = {
      id,
      projectId: rule.projectId,
      ruleId: rule.id,
      ruleName: rule.name,
      kind: finding.kind,
      subject: finding.subject,
      taskId: finding.taskId,
      taskName: finding.taskName,
      valueUsd: finding.valueUsd,
      thresholdUsd: finding.thresholdUsd,
      message,
      payload: JSON.stringify(payload),
      deliveryStatus: reason ? 'suppressed' : 'pending',
      attempts: 0,
      lastError: reason ?? '',
      createdAt: now.toISOString(),
      deliveredAt: null,
    }
    await this.events.save(event)
    this.metrics.inc(ALERT_EVENTS, { kind: event.kind, status: event.deliveryStatus })
    return event
  }

  send(event: AlertEvent, rule: StoredRule): Promise<AlertEvent> {
    if (event.deliveryStatus !== 'pending') return Promise.resolve(event)
    return this.deliverer.deliver(event, rule)
  }

  private overRateLimit(ruleId: string, now: number, finding: Finding): string | null {
    if (finding.kind === 'test') return null
    const recent = (this.recent.get(ruleId) ?? []).filter((at) => at > now - 60_000)
    if (recent.length >= this.options.maxPerMinute) {
      this.recent.set(ruleId, recent)
      return `over the limit of ${this.options.maxPerMinute} notifications per minute for this rule (AGENTMETER_ALERT_MAX_NOTIFICATIONS_PER_MINUTE)`
    }
    recent.push(now)
    this.recent.set(ruleId, recent)
    return null
  }
}
