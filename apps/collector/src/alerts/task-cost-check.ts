import { usdToPico } from '@agentmeter/core'
import type { ClickHouseClient } from '@clickhouse/client'
import type { Logger } from '../logger'
import { ALERT_TASK_CHECKS } from '../metric-catalog'
import type { Metrics } from '../metrics'
import type { SpanRecord } from '../store/span-record'
import type { Notifier } from './notifier'
import { filterSql, filterTaskIds, queryTaskCosts, type TaskCost } from './queries'
import type { StoredRule } from './rule'
import type { StateStore } from './state-store'

export interface TaskCostCheckOptions {
  /** Wait after a batch before checking, so a burst of batches of one task is checked once. */
  delayMillis: number
  /** A task that ended longer ago than this when its breach is found is backlog: not notified. */
  maxTaskAgeMillis: number
}

/** How far before a batch's earliest span a task's other spans are looked for. */
const TASK_LOOKBACK_MILLIS = 24 * 60 * 60 * 1000
const CHUNK = 500

/**
 * `task_cost` rules, checked after ingest: the ingest route reports the task ids of every
 * acknowledged batch (`touched`, synchronous and cheap), and the checks run later, one at a
 * time, off the ack path. A task is re-checked whenever more of its spans arrive, so a breach
 * that only child spans arriving after the root reveal is still found. Each (rule, task) breach
 * is notified once: its state row records it, and that survives restarts.
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
        const breaching = costs.filter((task) => breaches(rule, task))
        if (breaching.length === 0) continue
        const passing = filterSql(rule.filters)
          ? await filterTaskIds(
              this.client,
              projectId,
              breaching.map((task) => task.taskId),
              rule.filters,
              window,
            )
          : null
        for (const task of breaching) {
          if (passing && !passing.has(task.taskId)) continue
          await this.fire(rule, task)
        }
      }
    }
  }

  private async fire(rule: StoredRule, task: TaskCost): Promise<void> {
    if (this.states.get(rule.id, task.taskId)) return
    const now = new Date()
    if (!(await this.claim(`task:${rule.id}:${task.taskId}`))) {
      // Another collector holds this breach and notifies it; only remember that it fired.
      this.states.remember({
        projectId: rule.projectId,
        ruleId: rule.id,
        subject: task.taskId,
        state: 'firing',
        valueUsd: task.cost,
        since: now.toISOString(),
        lastNotifiedAt: null,
        notifications: 0,
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
      lastNotifiedAt: notified ? now.toISOString() : null,
      notifications: notified ? 1 : 0,
    })
    void this.notifier.send(event, rule)
  }
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
