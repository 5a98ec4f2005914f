import {
  planParams,
  rawPlan,
  rawSpansCondition,
  rollupCondition,
  type RangePlan,
} from '../rollups/plan'
import {
  TASK_COLUMNS,
  TASK_COMBINE,
  type TaskColumn,
  TASK_HAVING_SQL,
  TASK_MODEL_PARTIAL_SQL,
  TASK_PARTIAL_COLUMNS,
  TASK_PARTIAL_SQL,
} from '../rollups/task-partials'

/**
 * The per-task aggregate every task view shares: one row per task id, over the deduplicated
 * spans of a project and time range, with `task_id` and the asked columns (by default all of
 * `name, task_start, task_end, cost, priced_calls, unpriced_calls, llm_calls, tool_calls,
 * input_tokens, output_tokens, outcome, error_spans`). The plan's current hours come from `task_hours`, the rest from
 * `spans FINAL`; both give the same parts (see `rollups/task-partials.ts`).
 *
 * Money stays Decimal(38, 12) through every sum; it becomes text only at the end (`toString`),
 * so the API turns exact decimals into JSON numbers once, at the edge.
 */
export function taskAggregateSql(
  plan: RangePlan,
  columns: readonly TaskColumn[] = TASK_COLUMNS,
  /** A condition on `task_id` that restricts the aggregate to some tasks (default: all). */
  taskCondition = '1',
  /** The same for the rollup parts, which may also bound `hour`. */
  partsCondition = taskCondition,
): string {
  // A plan always has a raw part or current hours: the range is never empty.
  const parts: string[] = []
  if (plan.freshHours.length > 0) {
    parts.push(`SELECT task_id, ${TASK_PARTIAL_COLUMNS.join(', ')}
      FROM task_hours WHERE ${rollupCondition()} AND ${partsCondition}`)
  }
  if (plan.raw.length > 0) {
    parts.push(`SELECT task_id, ${TASK_PARTIAL_SQL}
      FROM spans FINAL
      WHERE ${rawSpansCondition(plan)} AND ${taskCondition}
      GROUP BY task_id`)
  }
  return `
  SELECT task_id, ${columns.map((column) => `${TASK_COMBINE[column]} AS ${column}`).join(',\n    ')}
  FROM (${parts.join('\n      UNION ALL\n      ')})
  GROUP BY task_id
  HAVING ${TASK_HAVING_SQL}
`
}

/**
 * Spend and unpriced calls per (task, provider, model) of model calls over a plan, columns
 * `task_id, provider, model, cost, unpriced_calls`; the current hours from `task_model_hours`
 * and `task_model_unpriced_hours` (the few pairs with unpriced calls), the rest from the spans.
 */
export function taskModelSpendSql(
  plan: RangePlan,
  taskCondition = '1',
  partsCondition = taskCondition,
): string {
  const parts: string[] = []
  if (plan.freshHours.length > 0) {
    parts.push(`SELECT task_id, provider, model, p_cost, toUInt64(0) AS p_unpriced
      FROM task_model_hours WHERE ${rollupCondition()} AND ${partsCondition}`)
    // Every pair here has its row above too, so the NULL adds nothing to the spend.
    parts.push(`SELECT task_id, provider, model,
        CAST(NULL AS Nullable(Decimal(38, 12))) AS p_cost, p_unpriced_calls AS p_unpriced
      FROM task_model_unpriced_hours FINAL WHERE ${rollupCondition()} AND ${partsCondition}`)
  }
  if (plan.raw.length > 0) {
    parts.push(`SELECT ${TASK_MODEL_PARTIAL_SQL}, countIf(NOT priced) AS p_unpriced
      FROM spans FINAL
      WHERE ${rawSpansCondition(plan)} AND kind IN ('llm', 'embedding') AND ${taskCondition}
      GROUP BY task_id, provider, model`)
  }
  return `SELECT task_id, provider, model, sum(p_cost) AS cost, sum(p_unpriced) AS unpriced_calls
    FROM (${parts.join('\n      UNION ALL\n      ')})
    GROUP BY task_id, provider, model`
}

export { planParams }

/**
 * The aggregate over the spans alone, with the range as `{from}` / `{to}` parameters (for
 * callers that need no rollup, such as the alert checks of just-ingested tasks). `scan` (a
 * `taskFilter(...).scan`) narrows the spans read to the tasks a filter can keep.
 */
export function rawTaskAggregateSql(scan = ''): string {
  return taskAggregateSql(rawPlan('', { from: '', to: '' }), TASK_COLUMNS, scan || '1')
    .replaceAll('{rawFrom0:', '{from:')
    .replaceAll('{rawTo0:', '{to:')
}

export const TASK_AGGREGATE_SQL = rawTaskAggregateSql()
