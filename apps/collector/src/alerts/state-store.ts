import type { ClickHouseClient } from '@clickhouse/client'
import { fromDateTime64Millis, nextVersion, toDateTime64Millis } from './version'

/**
 * `ok`: no breach. `warning`: a budget is forecast to be exceeded. `firing`: in breach (and
 * notified, unless the breach was suppressed as backlog). `resolved`: was firing, now clear.
 */
export type AlertStateName = 'ok' | 'warning' | 'firing' | 'resolved'

export interface RuleState {
  projectId: string
  ruleId: string
  /** What the breach is about: a task id, a budget period, or '' for a whole window. */
  subject: string
  state: AlertStateName
  /** The value last evaluated (USD), when it is money. */
  valueUsd: string | null
  /** When the current state began (ISO 8601). */
  since: string
  lastNotifiedAt: string | null
  notifications: number
}

interface StateRow {
  project_id: string
  rule_id: string
  subject: string
  state: string
  value: string | null
  since_text: string
  notified_text: string | null
  notifications: number
  version: string
}

/**
 * The state of every rule per subject, kept in ClickHouse so that it survives restarts, and
 * mirrored in memory: the evaluator reads it on every check. With several collectors on one
 * store, each reloads it on a cadence, and the claims (claim-ledger.ts) decide who notifies.
 */
export class StateStore {
  private states = new Map<string, RuleState>()
  /** States put since the last load began, with their row versions. */
  private written = new Map<string, { state: RuleState; version: number }>()

  constructor(private readonly client: ClickHouseClient) {}

  async load(): Promise<void> {
    const result = await this.client.query({
      query: `SELECT project_id, rule_id, subject, state,
          if(isNull(value_usd), NULL, toString(value_usd)) AS value,
          toString(since) AS since_text,
          if(isNull(last_notified_at), NULL, toString(last_notified_at)) AS notified_text,
          notifications, toString(version) AS version
        FROM alert_state FINAL`,
      format: 'JSONEachRow',
    })
    // A state this process wrote while the query ran is newer than the row it read: keep it.
    const written = this.written
    this.written = new Map()
    this.states.clear()
    for (const [key, { state }] of written) this.states.set(key, state)
    for (const row of await result.json<StateRow>()) {
      const key = keyOf(row.rule_id, row.subject)
      const mine = written.get(key)
      if (mine && mine.version >= Number(row.version)) continue
      const state: RuleState = {
        projectId: row.project_id,
        ruleId: row.rule_id,
        subject: row.subject,
        state: row.state as AlertStateName,
        valueUsd: row.value,
        since: fromDateTime64Millis(row.since_text),
        lastNotifiedAt: row.notified_text === null ? null : fromDateTime64Millis(row.notified_text),
        notifications: row.notifications,
      }
      this.states.set(key, state)
    }
    // States put while the rows were being read are newer still.
    for (const [key, { state }] of this.written) this.states.set(key, state)
  }

  get(ruleId: string, subject: string): RuleState | null {
    return this.states.get(keyOf(ruleId, subject)) ?? null
  }

  /** Every subject's state of a rule, most recently changed first. */
  forRule(ruleId: string): RuleState[] {
    return [...this.states.values()]
      .filter((state) => state.ruleId === ruleId)
      .sort((a, b) => (a.since < b.since ? 1 : a.since > b.since ? -1 : 0))
  }

  /** Persists a state; the memory copy changes only once ClickHouse has acknowledged it. */
  async put(state: RuleState): Promise<void> {
    await this.putMany([state])
  }

  /** `put` for many states, in one insert. */
  async putMany(states: RuleState[]): Promise<void> {
    if (states.length === 0) return
    const versions = states.map(() => nextVersion())
    await this.client.insert({
      table: 'alert_state',
      values: states.map((state, index) => ({
        project_id: state.projectId,
        rule_id: state.ruleId,
        subject: state.subject,
        state: state.state,
        value_usd: state.valueUsd,
        since: toDateTime64Millis(new Date(state.since)),
        last_notified_at:
          state.lastNotifiedAt === null ? null : toDateTime64Millis(new Date(state.lastNotifiedAt)),
        notifications: state.notifications,
        version: versions[index],
      })),
      format: 'JSONEachRow',
    })
    states.forEach((state, index) => {
      this.states.set(keyOf(state.ruleId, state.subject), state)
      this.written.set(keyOf(state.ruleId, state.subject), { state, version: versions[index]! })
    })
  }

  /** Records a state in memory only: another collector has already stored it. */
  remember(state: RuleState): void {
    this.states.set(keyOf(state.ruleId, state.subject), state)
  }

  /** Forgets a deleted rule's states in memory (the rows stay, as history). */
  dropRule(ruleId: string): void {
    for (const [key, state] of this.states) if (state.ruleId === ruleId) this.states.delete(key)
  }
}

function keyOf(ruleId: string, subject: string): string {
  return `${ruleId}\u0000${subject}`
}
