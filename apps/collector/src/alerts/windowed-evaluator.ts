import { picoToUsd, usdToPico } from '@agentmeter/core'
import type { ClickHouseClient } from '@clickhouse/client'
import { forecastSpend, periodBounds } from './forecast'
import { queryWindowStats } from './queries'
import type { StoredRule } from './rule'
import type { Evaluation } from './transitions'

export interface WindowedResult {
  subject: string
  evaluation: Evaluation
  valueUsd: string | null
  thresholdUsd: string | null
  details: Record<string, string | number | null>
}

export interface WindowedOptions {
  /** No budget forecast before this much of the period has passed. */
  forecastMinElapsedMillis: number
}

/** Evaluates one windowed rule (`task_cost_p95`, `spend_budget`, `unpriced_spend`) at `now`. */
export async function evaluateWindowed(
  client: ClickHouseClient,
  rule: StoredRule,
  now: Date,
  options: WindowedOptions,
): Promise<WindowedResult> {
  switch (rule.type) {
    case 'task_cost_p95':
      return evaluateP95(client, rule, now)
    case 'spend_budget':
      return evaluateBudget(client, rule, now, options)
    case 'unpriced_spend':
      return evaluateUnpriced(client, rule, now)
    case 'task_cost':
      throw new Error('task_cost rules are checked per task at ingest, not on the cadence')
  }
}

/**
 * p95 cost per task over the window, against the threshold; with `baselineFactor` k, against
 * max(threshold, k × the p95 of the window before). Without a baseline (no tasks in the previous
 * window) a baseline rule does not fire: there is nothing to compare with.
 */
async function evaluateP95(
  client: ClickHouseClient,
  rule: StoredRule,
  now: Date,
): Promise<WindowedResult> {
  const width = rule.windowMinutes * 60_000
  const current = await queryWindowStats(client, rule, {
    from: new Date(now.getTime() - width),
    to: now,
  })
  let threshold = usdToPico(rule.thresholdUsd)
  let baseline: string | null = null
  if (rule.baselineFactor !== null) {
    const previous = await queryWindowStats(client, rule, {
      from: new Date(now.getTime() - 2 * width),
      to: new Date(now.getTime() - width),
    })
    baseline = previous.p95
    if (baseline !== null) {
      // k in millionths keeps the product exact in pico-dollars.
      const scaled =
        (usdToPico(baseline) * BigInt(Math.round(rule.baselineFactor * 1e6))) / 1_000_000n
      if (scaled > threshold) threshold = scaled
    }
  }
  const breach =
    current.p95 !== null &&
    (rule.baselineFactor === null || baseline !== null) &&
    usdToPico(current.p95) > threshold
  return {
    subject: '',
    evaluation: { breach, warn: false },
    valueUsd: current.p95,
    thresholdUsd: picoToUsd(threshold),
    details: {
      tasks: current.tasks,
      windowMinutes: rule.windowMinutes,
      baselineP95Usd: baseline,
      baselineFactor: rule.baselineFactor,
      // Calls of the window's tasks without a price: their spend is not in the p95.
      unpricedCalls: current.unpricedCalls,
    },
  }
}

/** Spend of the current UTC day or month against the budget, with a linear forecast. */
async function evaluateBudget(
  client: ClickHouseClient,
  rule: StoredRule,
  now: Date,
  options: WindowedOptions,
): Promise<WindowedResult> {
  const bounds = periodBounds(rule.budgetPeriod === 'month' ? 'month' : 'day', now)
  const stats = await queryWindowStats(client, rule, { from: bounds.start, to: now })
  const spend = usdToPico(stats.spend)
  const budget = usdToPico(rule.thresholdUsd)
  const forecast = rule.forecast
    ? forecastSpend(spend, bounds, now, options.forecastMinElapsedMillis)
    : null
  return {
    subject: bounds.key,
    evaluation: { breach: spend > budget, warn: forecast !== null && forecast > budget },
    valueUsd: picoToUsd(spend),
    thresholdUsd: rule.thresholdUsd,
    details: {
      period: bounds.key,
      periodEnd: bounds.end.toISOString(),
      forecastUsd: forecast === null ? null : picoToUsd(forecast),
      unpricedCalls: stats.unpricedCalls,
    },
  }
}

/** Any LLM call in the window whose model could not be priced: spend that is not counted. */
async function evaluateUnpriced(
  client: ClickHouseClient,
  rule: StoredRule,
  now: Date,
): Promise<WindowedResult> {
  const stats = await queryWindowStats(client, rule, {
    from: new Date(now.getTime() - rule.windowMinutes * 60_000),
    to: now,
  })
  return {
    subject: '',
    evaluation: { breach: stats.unpricedCalls > 0, warn: false },
    valueUsd: null,
    thresholdUsd: null,
    details: { unpricedCalls: stats.unpricedCalls, windowMinutes: rule.windowMinutes },
  }
}
