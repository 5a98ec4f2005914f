import { picoToUsd, usdToPico } from '@agentmeter/core'
import type { ClickHouseClient } from '@clickhouse/client'
import type { AlertSettings } from '../config'
import type { Logger } from '../logger'
import { ALERT_EVALUATIONS } from '../metric-catalog'
import type { Metrics } from '../metrics'
import type { SpanRecord } from '../store/span-record'
import { Deliverer } from './delivery'
import { EventStore, type AlertEvent } from './event-store'
import { Notifier } from './notifier'
import { changesFiring, WINDOWED_TYPES, type StoredRule } from './rule'
import type { RuleFields } from './rule-input'
import { RuleStore } from './rule-store'
import { StateStore, type AlertStateName } from './state-store'
import { resumePendingEvents, retryScheduleMillis } from './resume'
import { AlertSharing, type AlertCoordination } from './sharing'
import { TaskCostChecker } from './task-cost-check'
import { WindowedChecker } from './windowed-checker'

/**
 * Alerting settings (see `AlertSettings` for the variables and defaults); the lease and refresh
 * timings go to the coordination of several collectors instead.
 */
export type AlertEngineOptions = Omit<AlertSettings, 'leaseMillis' | 'refreshMillis'>

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
 * Alone on its store (the embedded engine), the engine is the only writer of its rules and
 * states. With `AlertCoordination` (several collectors on a ClickHouse server), it reloads them
 * on a cadence, evaluates windowed rules and resumes orphaned deliveries only while it holds the
 * alert lease, and notifies a breach only after winning its claim, so each breach is told once
 * however many collectors run.
 */
export class AlertEngine {
  readonly rules: RuleStore
  readonly events: EventStore
  private readonly states: StateStore
  private readonly deliverer: Deliverer
  private readonly notifier: Notifier
  private readonly taskChecks: TaskCostChecker
  private readonly windowed: WindowedChecker
  private cache = new Map<string, StoredRule[]>()
  private timer: NodeJS.Timeout | null = null
  private ticking: Promise<void> | null = null
  private baseUrl = 'http://127.0.0.1:4318'
  private readonly sharing: AlertSharing
  /** Rule writes of this process (counted as they start and end), so a reload never drops one. */
  private ruleWrites = 0

  constructor(
    private readonly client: ClickHouseClient,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    readonly options: AlertEngineOptions,
    coordination: AlertCoordination | null = null,
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
      (key) => this.sharing.claim(key),
    )
    this.windowed = new WindowedChecker(
      client,
      this.states,
      this.notifier,
      (key) => this.sharing.claim(key),
      { forecastMinElapsedMillis: options.forecastMinElapsedMillis },
      (rule) => this.findRule(rule.projectId, rule.id),
    )
    this.sharing = new AlertSharing(coordination, logger, metrics, {
      reload: () => this.reload(),
      onLeader: () => void this.takeOver(),
    })
  }

  /** Whether this collector evaluates windowed rules now. */
  isLeader(): boolean {
    return this.sharing.isLeader()
  }

  /** Loads rules and states, resumes pending deliveries, and starts the cadence. */
  async start(baseUrl: string): Promise<void> {
    this.baseUrl = baseUrl
    await this.reload()
    // Shared, pending deliveries are resumed by the lease holder only (see takeOver).
    if (this.sharing.shared) await this.sharing.start()
    else await this.resumePending(Infinity)
    this.timer = setInterval(() => {
      if (!this.ticking) this.ticking = this.tick().finally(() => (this.ticking = null))
    }, this.options.evalIntervalMillis)
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.sharing.stop()
    await this.ticking
    await this.taskChecks.flush()
    await this.deliverer.stop()
  }

  /**
   * Called by the ingest route once a batch is acknowledged; never blocks or throws. Reads
   * `task_id` and `start_time` of each record only: a batch acknowledged on its write-ahead
   * entry comes as `storedSummary`s.
   */
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
    this.ruleWrites += 1
    const rule = await this.rules.create(projectId, fields)
    this.ruleWrites += 1
    this.cacheRule(rule)
    return rule
  }

  /**
   * Stores a change and re-evaluates the rule's state under it at once, so that a breach the
   * changed rule would not see (a threshold raised above it, another task name, a filter, a
   * window or a budget period) resolves now, with the notification its type sends, instead of
   * staying firing. A disabled rule is re-evaluated when it is enabled again; a change of name,
   * channel or notification policy alone re-evaluates nothing.
   */
  async updateRule(rule: StoredRule, fields: RuleFields): Promise<StoredRule> {
    this.ruleWrites += 1
    const updated = await this.rules.update(rule, fields)
    this.ruleWrites += 1
    this.cacheRule(updated)
    if (updated.enabled && changesFiring(rule, updated)) {
      try {
        if (updated.type === 'task_cost') await this.taskChecks.recheck(updated)
        else await this.windowed.evaluate(updated)
      } catch (err) {
        // The change is stored; the cadence (or the task's next spans) evaluates it later.
        this.logger.error({
          module: 'alerts',
          message: 're-evaluating a changed rule failed',
          args: { rule: updated.id, type: updated.type },
          err,
        })
      }
    }
    return updated
  }

  async deleteRule(rule: StoredRule): Promise<void> {
    this.ruleWrites += 1
    await this.rules.delete(rule)
    this.ruleWrites += 1
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
      // A sample past the threshold (twice it): the threshold itself read "$0.10 above $0.10".
      valueUsd: picoToUsd(usdToPico(rule.thresholdUsd) * 2n),
      thresholdUsd: rule.thresholdUsd,
      details: { test: 1 },
    })
    return this.notifier.send(event, rule)
  }

  /**
   * The rule's state: a firing subject if it has one (the most recent), else a warning, else its
   * most recently changed subject.
   */
  status(rule: StoredRule): RuleStatus {
    const states = this.states.forRule(rule.id)
    const latest =
      states.find((state) => state.state === 'firing') ??
      states.find((state) => state.state === 'warning') ??
      states[0] ??
      null
    return {
      state: latest?.state ?? 'ok',
      subject: latest?.subject ?? '',
      since: latest?.since ?? null,
      lastNotifiedAt: latest?.lastNotifiedAt ?? null,
      breaches: states.filter((state) => state.state === 'firing' || state.state === 'resolved')
        .length,
    }
  }

  /** One evaluation of every enabled windowed rule (by the lease holder only). */
  async tick(): Promise<void> {
    if (!this.isLeader()) return
    for (const rules of this.cache.values()) {
      for (const rule of rules) {
        if (!rule.enabled || !WINDOWED_TYPES.includes(rule.type)) continue
        try {
          await this.windowed.evaluate(rule)
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
    this.metrics.inc(ALERT_EVALUATIONS)
  }

  /** Rules and states as stored, replacing what this process had. */
  private async reload(): Promise<void> {
    const writes = this.ruleWrites
    const rules = await this.rules.listAll()
    await this.states.load()
    // A rule written here while the list was read may be missing from it: keep the cache as it
    // is until the next round.
    if (writes !== this.ruleWrites) return
    this.cache.clear()
    for (const rule of rules) this.cacheRule(rule)
  }

  /**
   * On gaining the lease: reload what the previous holder decided, then resume the deliveries it
   * left pending. Only events older than one full retry schedule are taken over, so deliveries
   * that another live collector is still retrying are left to it.
   */
  private async takeOver(): Promise<void> {
    try {
      await this.reload()
      await this.resumePending(Date.now() - retryScheduleMillis(this.options))
    } catch (err) {
      this.logger.error({ module: 'alerts', message: 'taking over alerting failed', err })
    }
  }

  private resumePending(before: number): Promise<void> {
    return resumePendingEvents({
      events: this.events,
      notifier: this.notifier,
      findRule: (projectId, ruleId) => this.findRule(projectId, ruleId),
      before,
    })
  }

  private cacheRule(rule: StoredRule): void {
    const others = this.list(rule.projectId).filter((candidate) => candidate.id !== rule.id)
    this.cache.set(rule.projectId, [...others, rule])
  }
}
