import type { ClickHouseClient } from '@clickhouse/client'
import type { Notifier } from './notifier'
import type { Finding } from './payload'
import type { StoredRule } from './rule'
import type { StateStore } from './state-store'
import { transition, type Transition } from './transitions'
import { evaluateWindowed, type WindowedOptions } from './windowed-evaluator'

/** What a subject's new state is recorded with: the figures its notification would carry. */
type Figures = Pick<Finding, 'valueUsd' | 'thresholdUsd' | 'details'>

/**
 * Evaluates windowed rules (`task_cost_p95`, `spend_budget`, `unpriced_spend`) and moves their
 * subjects' states: on the cadence, and at once when a rule changes. A rule watches one subject
 * at a time (the window, or the current budget period); a subject it no longer watches (a budget
 * period that ended, or the one a change of period left) is closed by the same evaluation, so
 * no state stays firing for a condition nobody checks any more.
 *
 * Evaluations run one at a time, each with the rule as it is when its turn comes: a round of
 * the cadence under way when a rule changes cannot fire it again under the old threshold after
 * the change resolved it.
 */
export class WindowedChecker {
  private chain: Promise<void> = Promise.resolve()

  constructor(
    private readonly client: ClickHouseClient,
    private readonly states: StateStore,
    private readonly notifier: Notifier,
    /** Wins or loses the right to record a notification (several collectors may evaluate). */
    private readonly claim: (key: string) => Promise<boolean>,
    private readonly options: WindowedOptions,
    /** The rule as it is now (null once deleted), since the one asked about may have changed. */
    private readonly latest: (rule: StoredRule) => StoredRule | null,
  ) {}

  /** Evaluates the rule once it is its turn; resolves when done (rejects if it failed). */
  evaluate(rule: StoredRule): Promise<void> {
    const run = this.chain.then(() => {
      const current = this.latest(rule)
      return current?.enabled ? this.evaluateNow(current, new Date()) : undefined
    })
    this.chain = run.catch(() => undefined)
    return run
  }

  private async evaluateNow(rule: StoredRule, now: Date): Promise<void> {
    const result = await evaluateWindowed(this.client, rule, now, this.options)
    const current = this.states.get(rule.id, result.subject)
    await this.move(rule, result.subject, transition(current, result.evaluation, rule, now), now, {
      valueUsd: result.valueUsd,
      thresholdUsd: result.thresholdUsd,
      details: result.details,
    })
    for (const left of this.states.forRule(rule.id)) {
      if (left.subject === result.subject) continue
      if (left.state !== 'firing' && left.state !== 'warning') continue
      await this.move(
        rule,
        left.subject,
        transition(left, { breach: false, warn: false }, rule, now),
        now,
        {
          valueUsd: left.valueUsd,
          thresholdUsd: rule.thresholdUsd,
          details: { period: left.subject, watching: result.subject },
        },
      )
    }
  }

  /** Records a subject's next state, and the notification it calls for, once claimed. */
  private async move(
    rule: StoredRule,
    subject: string,
    next: Transition,
    now: Date,
    figures: Figures,
  ): Promise<void> {
    const current = this.states.get(rule.id, subject)
    if (next.notify === null && next.state === (current?.state ?? 'ok')) return
    // One claim per notification of a breach: a collector that lost the lease a moment ago and
    // the one that took it over cannot both send it.
    const sequence = (current?.notifications ?? 0) + 1
    const claimKey = `window:${rule.id}:${subject}:${next.notify ?? next.state}:${sequence}`
    if (!(await this.claim(claimKey))) return

    const event = next.notify
      ? await this.notifier.record(rule, {
          kind: next.notify,
          subject,
          taskId: '',
          taskName: rule.taskName,
          ...figures,
        })
      : null
    const notified = event !== null && event.deliveryStatus === 'pending'
    await this.states.put({
      projectId: rule.projectId,
      ruleId: rule.id,
      subject,
      state: next.state,
      valueUsd: figures.valueUsd,
      since: next.state === current?.state ? current.since : now.toISOString(),
      lastNotifiedAt: notified ? now.toISOString() : (current?.lastNotifiedAt ?? null),
      notifications: (current?.notifications ?? 0) + (notified ? 1 : 0),
    })
    if (event) void this.notifier.send(event, rule)
  }
}
