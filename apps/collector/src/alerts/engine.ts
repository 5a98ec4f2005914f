import type { ClickHouseClient } from '@clickhouse/client'
import type { Logger } from '../logger'
import type { Metrics } from '../metrics'
import type { SpanRecord } from '../store/span-record'
import { Deliverer } from './delivery'
import { EventStore, type AlertEvent } from './event-store'
import { Notifier } from './notifier'
import { WINDOWED_TYPES, type StoredRule } from './rule'
import type { RuleFields } from './rule-input'
import { RuleStore } from './rule-store'
import { StateStore, type AlertStateName } from './state-store'
import { TaskCostChecker } from './task-cost-check'
import { transition } from './transitions'
import { evaluateWindowed } from './windowed-evaluator'

/** Alerting settings; see `CollectorConfig` for the variables and defaults. */
export interface AlertEngineOptions {
  evalIntervalMillis: number
  taskCheckDelayMillis: number
  maxTaskAgeMillis: number
  forecastMinElapsedMillis: number
  maxNotificationsPerMinute: number
  retryBaseMillis: number
  maxAttempts: number
  deliveryTimeoutMillis: number
  allowPrivateWebhooks: boolean
  /** Base URL of the dashboard in links; the collector's own URL when unset. */
  publicUrl: string | undefined
}

/** A rule's state as the API shows it. */
export interface RuleStatus {
  state: AlertStateName
  /** The subject of that state (task id, budget period, or ''). */
  subject: string
  since: string | null
  lastNotifiedAt: string | null
  /** Subjects that have breached (tasks, periods, or the window), over the rule's life. */
  breaches: number
}

/**
 * The alert engine of one collector: keeps the rules in memory, checks `task_cost` rules after
 * ingest, evaluates windowed rules on a cadence, and delivers notifications. Rule state lives in
 * ClickHouse, so a restart resumes where it stopped: a breach already notified stays notified,
 * and deliveries still pending are retried.
 *
 * One engine per store: rules and states are cached in this process, which is their only writer.
 * That holds for the embedded engine (one process per data directory). Several collectors on one
 * ClickHouse server would each evaluate every rule and not see each other's rule edits until
 * restarted; running alerts there needs a single evaluating collector.
 */
export class AlertEngine {
  readonly rules: RuleStore
  readonly events: EventStore
  private readonly states: StateStore
  private readonly deliverer: Deliverer
  private readonly notifier: Notifier
  private readonly taskChecks: TaskCostChecker
  private cache = new Map<string, StoredRule[]>()
  private timer: NodeJS.Timeout | null = null
  private ticking: Promise<void> | null = null
  private baseUrl = 'http://127.0.0.1:4318'

  constructor(
    private readonly client: ClickHouseClient,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    readonly options: AlertEngineOptions,
  ) {
    this.rules = new RuleStore(client)
    this.events = new EventStore(client)
    this.states = new StateStore(client)
    this.deliverer = new Deliverer(this.events, logger, metrics, {
      maxAttempts: options.maxAttempts,
      retryBaseMillis: options.retryBaseMillis,
      maxBackoffMillis: Math.max(options.retryBaseMillis, 5 * 60_000),
      timeoutMillis: options.deliveryTimeoutMillis,
      allowPrivateWebhooks: options.allowPrivateWebhooks,
    })
    this.notifier = new Notifier(this.events, this.deliverer, metrics, {
      dashboardUrl: () => options.publicUrl ?? this.baseUrl,
      maxPerMinute: options.maxNotificationsPerMinute,
    })
    this.taskChecks = new TaskCostChecker(
      client,
      this.states,
      this.notifier,
      logger,
      metrics,
      (projectId) => this.cache.get(projectId) ?? [],
      { delayMillis: options.taskCheckDelayMillis, maxTaskAgeMillis: options.maxTaskAgeMillis },
    )
  }

  /** Loads rules and states, resumes pending deliveries, and starts the cadence. */
  async start(baseUrl: string): Promise<void> {
    this.baseUrl = baseUrl
    this.cache.clear()
    for (const rule of await this.rules.listAll()) this.cacheRule(rule)
    await this.states.load()
    for (const event of await this.events.pending()) {
      const rule = this.findRule(event.projectId, event.ruleId)
      if (rule) void this.notifier.send(event, rule)
      else {
        await this.events.save({
          ...event,
          deliveryStatus: 'failed',
          lastError: 'the rule was deleted before the event could be delivered',
        })
      }
    }
    this.timer = setInterval(() => {
      if (!this.ticking) this.ticking = this.tick().finally(() => (this.ticking = null))
    }, this.options.evalIntervalMillis)
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.ticking
    await this.taskChecks.flush()
    await this.deliverer.stop()
  }

  /** Called by the ingest route once a batch is acknowledged; never blocks or throws. */
  spansStored(projectId: string, records: SpanRecord[]): void {
    try {
      this.taskChecks.touched(projectId, records)
    } catch (err) {
      this.logger.error({ module: 'alerts', message: 'queueing a task check failed', err })
    }
  }

  list(projectId: string): StoredRule[] {
    return this.cache.get(projectId) ?? []
  }

  findRule(projectId: string, id: string): StoredRule | null {
    return this.list(projectId).find((rule) => rule.id === id) ?? null
  }

  async createRule(projectId: string, fields: RuleFields): Promise<StoredRule> {
    const rule = await this.rules.create(projectId, fields)
    this.cacheRule(rule)
    return rule
  }

  async updateRule(rule: StoredRule, fields: RuleFields): Promise<StoredRule> {
    const updated = await this.rules.update(rule, fields)
    this.cacheRule(updated)
    return updated
  }

  async deleteRule(rule: StoredRule): Promise<void> {
    await this.rules.delete(rule)
    this.cache.set(
      rule.projectId,
      this.list(rule.projectId).filter((candidate) => candidate.id !== rule.id),
    )
    this.states.dropRule(rule.id)
  }

  /** Sends a test event through the rule's channel now, with retries; resolves when settled. */
  async testSend(rule: StoredRule): Promise<AlertEvent> {
    const event = await this.notifier.record(rule, {
      kind: 'test',
      subject: 'test',
      taskId: rule.type === 'task_cost' ? 'test-task' : '',
      taskName: rule.type === 'task_cost' ? rule.taskName || 'test-task' : '',
      valueUsd: rule.thresholdUsd,
      thresholdUsd: rule.thresholdUsd,
      details: { test: 1 },
    })
    return this.notifier.send(event, rule)
  }

  status(rule: StoredRule): RuleStatus {
    const states = this.states.forRule(rule.id)
    const latest = states[0] ?? null
    return {
      state: latest?.state ?? 'ok',
      subject: latest?.subject ?? '',
      since: latest?.since ?? null,
      lastNotifiedAt: latest?.lastNotifiedAt ?? null,
      breaches: states.filter((state) => state.state === 'firing' || state.state === 'resolved')
        .length,
    }
  }

  /** One evaluation of every enabled windowed rule. */
  async tick(now = new Date()): Promise<void> {
    for (const rules of this.cache.values()) {
      for (const rule of rules) {
        if (!rule.enabled || !WINDOWED_TYPES.includes(rule.type)) continue
        try {
          await this.evaluate(rule, now)
        } catch (err) {
          this.logger.error({
            module: 'alerts',
            message: 'rule evaluation failed',
            args: { rule: rule.id, type: rule.type },
            err,
          })
        }
      }
    }
    this.metrics.inc('agentmeter_alert_evaluations_total', 'Evaluation rounds of windowed rules')
  }

  private async evaluate(rule: StoredRule, now: Date): Promise<void> {
    const result = await evaluateWindowed(this.client, rule, now, {
      forecastMinElapsedMillis: this.options.forecastMinElapsedMillis,
    })
    const current = this.states.get(rule.id, result.subject)
    const next = transition(current, result.evaluation, rule, now)
    if (next.notify === null && next.state === (current?.state ?? 'ok')) return

    const event = next.notify
      ? await this.notifier.record(rule, {
          kind: next.notify,
          subject: result.subject,
          taskId: '',
          taskName: rule.taskName,
          valueUsd: result.valueUsd,
          thresholdUsd: result.thresholdUsd,
          details: result.details,
        })
      : null
    const notified = event !== null && event.deliveryStatus === 'pending'
    await this.states.put({
      projectId: rule.projectId,
      ruleId: rule.id,
      subject: result.subject,
      state: next.state,
      valueUsd: result.valueUsd,
      since: next.state === current?.state ? current.since : now.toISOString(),
      lastNotifiedAt: notified ? now.toISOString() : (current?.lastNotifiedAt ?? null),
      notifications: (current?.notifications ?? 0) + (notified ? 1 : 0),
    })
    if (event) void this.notifier.send(event, rule)
  }

  private cacheRule(rule: StoredRule): void {
    const others = this.list(rule.projectId).filter((candidate) => candidate.id !== rule.id)
    this.cache.set(rule.projectId, [...others, rule])
  }
}
