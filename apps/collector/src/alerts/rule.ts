/**
 * The alert rule model: what a rule watches, its threshold and filters, and where it notifies.
 * Money is kept as a `Decimal(38, 12)` string so thresholds compare exactly with stored costs.
 */

export const RULE_TYPES = ['task_cost', 'task_cost_p95', 'spend_budget', 'unpriced_spend'] as const
export type RuleType = (typeof RULE_TYPES)[number]

export const CHANNEL_TYPES = ['webhook', 'slack'] as const
export type ChannelType = (typeof CHANNEL_TYPES)[number]

export const BUDGET_PERIODS = ['day', 'month'] as const
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number]

/** Rule types evaluated on a cadence over a window, as opposed to per task at ingest. */
export const WINDOWED_TYPES: readonly RuleType[] = [
  'task_cost_p95',
  'spend_budget',
  'unpriced_spend',
]

export interface RuleFilters {
  /** `deployment.environment.name` of the task's spans; empty = any. */
  environment: string
  /** `service.name` of the task's spans; empty = any. */
  service: string
  /** Span or resource attributes a task must carry, e.g. `{ team: 'support' }`. */
  tags: Record<string, string>
}

export interface AlertChannel {
  type: ChannelType
  url: string
}

export interface AlertRule {
  id: string
  projectId: string
  name: string
  type: RuleType
  /** Only tasks of this task name; empty = any (required for `task_cost_p95`). */
  taskName: string
  /** USD as a 12-digit decimal string. */
  thresholdUsd: string
  /** Window of `task_cost_p95` and `unpriced_spend`; 0 for the other types. */
  windowMinutes: number
  /** `task_cost_p95` only: fire above k × the p95 of the previous window (and the threshold). */
  baselineFactor: number | null
  /** `spend_budget` only. */
  budgetPeriod: BudgetPeriod | ''
  /** `spend_budget` only: warn when the period's spend is forecast to exceed the budget. */
  forecast: boolean
  filters: RuleFilters
  channel: AlertChannel
  /** Notify again while a breach lasts, every this many minutes; 0 = once per breach. */
  renotifyMinutes: number
  /** Send a `resolved` notification when a windowed breach clears. */
  notifyOnResolve: boolean
  enabled: boolean
  createdAt: string
  updatedAt: string
}

/** A rule as stored: with the signing secret, which the API shows only once, at creation. */
export interface StoredRule extends AlertRule {
  secret: string
}

/** The fields that decide whether a rule fires (not its name, channel or notification policy). */
const FIRING_FIELDS = [
  'type',
  'taskName',
  'thresholdUsd',
  'windowMinutes',
  'baselineFactor',
  'budgetPeriod',
  'forecast',
  'filters',
  'enabled',
] as const satisfies ReadonlyArray<keyof AlertRule>

/** Whether a change of a rule can change what it fires for. */
export function changesFiring(before: AlertRule, after: AlertRule): boolean {
  return FIRING_FIELDS.some(
    (field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]),
  )
}

/** The public view of a rule: everything but the secret. */
export function publicRule(rule: StoredRule): AlertRule {
  const { secret: _secret, ...rest } = rule
  return rest
}
