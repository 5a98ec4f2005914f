import { usdToPico } from '@agentmeter/core'
import type { ClickHouseClient } from '@clickhouse/client'
import type { Logger } from '../logger'
import { ALERT_TASK_CHECKS } from '../metric-catalog'
import type { Metrics } from '../metrics'
import type { SpanRecord } from '../store/span-record'
import type { Notifier } from './notifier'
import { filterSql, filterTaskIds, queryTaskCosts, type TaskCost } from './queries'
import type { StoredRule } from './rule'
import type { RuleState, StateStore } from './state-store'

export interface TaskCostCheckOptions {
  /** Wait after a batch before checking, so a burst of batches of one task is checked once. */
  delayMillis: number
  /** A task that ended longer ago than this when its breach is found is backlog: not notified. */
  maxTaskAgeMillis: number
}

/** How far before a batch's earliest span a task's other spans are looked for. */
const TASK_LOOKBACK_MILLIS = 24 * 60 * 60 * 1000
/**
 * How far before a breach was found its task's spans are looked for when the rule changes: a
 * replayed backlog may be that old (as far back as a task's page looks by default).
 */
const RECHECK_LOOKBACK_MILLIS = 90 * 24 * 60 * 60 * 1000
const CHUNK = 500

/**
 * `task_cost` rules, checked after ingest: the ingest route reports the task ids of every
 * acknowledged batch (`touched`, synchronous and cheap), and the checks run later, one at a
 * time, off the ack path. A task is re-checked whenever more of its spans arrive, so a breach
 * that only child spans arriving after the root reveal is still found. Each (rule, task) breach
 * is notified once: its state row records it, and that survives restarts. A change of the rule
 * re-checks the tasks it fires for (`recheck`); one that breaches again later is a new breach.
 */
export class TaskCostChecker {
  private pending = new Map<string, Map<string, { min: number; max: number }>>()
  private timer: NodeJS.Timeout | null = null
  private chain: Promise<void> = Promise.resolve()

  constructor(
    private readonly client: ClickHouseClient,
    private readonly states: StateStore,
    private readonly notifier: Notifier,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly rulesFor: (projectId: string) => StoredRule[],
    private readonly options: TaskCostCheckOptions,
    /** Wins or loses the right to notify a breach (several collectors may see one task). */
    private readonly claim: (key: string) => Promise<boolean> = async () => true,
  ) {}

  /** Queues a check of the tasks of stored span records; returns at once. */
  touched(projectId: string, records: SpanRecord[]): void {
    if (!this.rulesFor(projectId).some(isActiveTaskCostRule)) return
    let tasks = this.pending.get(projectId)
    if (!tasks) {
      tasks = new Map()
      this.pending.set(projectId, tasks)
    }
    for (const record of records) {
      const taskId = String(record.task_id ?? '')
      if (taskId === '') continue
      const at = dateTime64ToMillis(String(record.start_time))
      const seen = tasks.get(taskId)
      if (seen) tasks.set(taskId, { min: Math.min(seen.min, at), max: Math.max(seen.max, at) })
      else tasks.set(taskId, { min: at, max: at })
    }
    this.timer ??= setTimeout(() => {
      this.timer = null
      void this.runPending()
    }, this.options.delayMillis)
  }

  /** Runs what is queued now and waits for every check under way. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = null
      void this.runPending()
    }
    await this.chain
  }

  /**
   * Re-checks the tasks a changed rule is firing for: those that no longer breach it (a higher
   * threshold, another task name or filter, or spans no longer stored) are resolved. task_cost
   * rules send no resolved notification; the state says it. Queued behind the checks under
   * way, so that none of them fires under the old rule after this ran.
   */
  recheck(rule: StoredRule): Promise<void> {
    const run = this.chain.then(() => this.resolveCleared(rule))
    // A failure is the caller's to report; later checks still run.
    this.chain = run.catch(() => undefined)
    return run
  }

  private runPending(): Promise<void> {
    const batches = this.pending
    this.pending = new Map()
    this.chain = this.chain.then(async () => {
      for (const [projectId, tasks] of batches) {
        try {
          await this.check(projectId, tasks)
        } catch (err) {
          this.logger.error({
            module: 'alerts',
            message: 'task cost check failed',
            args: { project: projectId, tasks: tasks.size },
            err,
          })
        }
      }
    })
    return this.chain
  }

  private async check(projectId: string, tasks: Map<string, { min: number; max: number }>) {
    const rules = this.rulesFor(projectId).filter(isActiveTaskCostRule)
    if (rules.length === 0) return
    const ids = [...tasks.keys()]
    for (let start = 0; start < ids.length; start += CHUNK) {
      const chunk = ids.slice(start, start + CHUNK)
      const spans = chunk.map((id) => tasks.get(id)!)
      const window = {
        from: new Date(Math.min(...spans.map((span) => span.min)) - TASK_LOOKBACK_MILLIS),
        to: new Date(Math.max(Date.now(), ...spans.map((span) => span.max)) + 60_000),
      }
      const costs = await queryTaskCosts(this.client, projectId, chunk, window)
      this.metrics.inc(ALERT_TASK_CHECKS, {}, costs.length)
      for (const rule of rules) {
        for (const task of await this.breaching(rule, costs, window)) await this.fire(rule, task)
      }
    }
  }

  /** The tasks of `costs` that breach the rule: its task name, threshold and filters. */
  private async breaching(
    rule: StoredRule,
    costs: TaskCost[],
    window: { from: Date; to: Date },
  ): Promise<TaskCost[]> {
    const above = costs.filter((task) => breaches(rule, task))
    if (above.length === 0 || !filterSql(rule.filters)) return above
    const passing = await filterTaskIds(
      this.client,
      rule.projectId,
      above.map((task) => task.taskId),
      rule.filters,
      window,
    )
    return above.filter((task) => passing.has(task.taskId))
  }

  private async resolveCleared(rule: StoredRule): Promise<void> {
    // Most recent first, so each chunk's breaches were found close together: a narrow window.
    const firing = this.states.forRule(rule.id).filter((state) => state.state === 'firing')
    const now = new Date()
    for (let start = 0; start < firing.length; start += CHUNK) {
      const states = firing.slice(start, start + CHUNK)
      const earliest = Date.parse(states.at(-1)!.since)
      const window = {
        from: new Date(earliest - RECHECK_LOOKBACK_MILLIS),
        to: new Date(now.getTime() + 60_000),
      }
      const ids = states.map((state) => state.subject)
      const costs = await queryTaskCosts(this.client, rule.projectId, ids, window)
      const still = new Set((await this.breaching(rule, costs, window)).map((task) => task.taskId))
      const cost = new Map(costs.map((task) => [task.taskId, task.cost]))
      await this.states.putMany(
        states
          .filter((state) => !still.has(state.subject))
          .map((state) => resolvedState(state, cost.get(state.subject), now)),
      )
    }
  }

  private async fire(rule: StoredRule, task: TaskCost): Promise<void> {
    const current = this.states.get(rule.id, task.taskId)
    if (current?.state === 'firing') return
    const now = new Date()
    // A breach after a change of the rule resolved the last one is a new breach: its own claim.
    const claimKey = `task:${rule.id}:${task.taskId}${current ? `:${current.since}` : ''}`
    if (!(await this.claim(claimKey))) {
      // Another collector holds this breach and notifies it; only remember that it fired.
      this.states.remember({
        projectId: rule.projectId,
        ruleId: rule.id,
        subject: task.taskId,
        state: 'firing',
        valueUsd: task.cost,
        since: now.toISOString(),
        lastNotifiedAt: current?.lastNotifiedAt ?? null,
        notifications: current?.notifications ?? 0,
      })
      return
    }
    const age = now.getTime() - task.endMillis
    const backlog =
      age > this.options.maxTaskAgeMillis
        ? `backlog: the task ended ${Math.round(age / 60_000)} min before its breach was seen, over the ${Math.round(this.options.maxTaskAgeMillis / 60_000)} min of AGENTMETER_ALERT_MAX_TASK_AGE_MS`
        : null
    const event = await this.notifier.record(
      rule,
      {
        kind: 'firing',
        subject: task.taskId,
        taskId: task.taskId,
        taskName: task.name,
        valueUsd: task.cost,
        thresholdUsd: rule.thresholdUsd,
        details: { pricedCalls: task.pricedCalls, unpricedCalls: task.unpricedCalls },
      },
      backlog,
    )
    const notified = event.deliveryStatus === 'pending'
    await this.states.put({
      projectId: rule.projectId,
      ruleId: rule.id,
      subject: task.taskId,
      state: 'firing',
      valueUsd: task.cost,
      since: now.toISOString(),
      lastNotifiedAt: notified ? now.toISOString() : (current?.lastNotifiedAt ?? null),
      notifications: (current?.notifications ?? 0) + (notified ? 1 : 0),
    })
    void this.notifier.send(event, rule)
  }
}

/** A firing task state, resolved now, with the task's current cost when it is still stored. */
function resolvedState(state: RuleState, cost: string | undefined, now: Date): RuleState {
  return { ...state, state: 'resolved', valueUsd: cost ?? state.valueUsd, since: now.toISOString() }
}

function isActiveTaskCostRule(rule: StoredRule): boolean {
  return rule.enabled && rule.type === 'task_cost'
}

/** Above the threshold, exactly; a task with no priced cost at all is never a cost breach. */
function breaches(rule: StoredRule, task: TaskCost): boolean {
  if (rule.taskName && task.name !== rule.taskName) return false
  if (task.pricedCalls === 0 && task.unpricedCalls > 0) return false
  return usdToPico(task.cost) > usdToPico(rule.thresholdUsd)
}

/** `2026-12-04 07:42:51.123456789` (UTC) to epoch millis. */
function dateTime64ToMillis(value: string): number {
  const millis = Date.parse(`${value.slice(0, 10)}T${value.slice(11, 23)}Z`)
  return Number.isNaN(millis) ? Date.now() : millis
}
