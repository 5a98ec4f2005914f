/**
 * The task aggregate split into parts that add up: one part per (task, hour) in `task_hours`,
 * or per task over any set of raw spans. Every part is a sum, a count, a minimum or a maximum,
 * or an "earliest value" kept with its time, so parts from the rollup and from raw spans combine
 * into exactly what one pass over all the spans would give.
 *
 * The columns are listed once here; the refresher writes them and the readers combine them.
 */

/** Parts over a group of deduplicated spans (`FROM spans FINAL ... GROUP BY task_id`). */
export const TASK_PARTIAL_SQL = `
    countIf(is_task_root AND task_name != '') AS p_root_named,
    argMinIf(task_name, (start_time, span_id), is_task_root AND task_name != '') AS p_root_name,
    minIf(start_time, is_task_root AND task_name != '') AS p_root_name_at,
    countIf(task_name != '') AS p_named,
    argMinIf(task_name, (start_time, span_id), task_name != '') AS p_name,
    minIf(start_time, task_name != '') AS p_name_at,
    min(start_time) AS p_start,
    max(end_time) AS p_end,
    sumIf(cost_usd, priced) AS p_llm_cost,
    sum(ifNull(tool_cost_usd, toDecimal128(0, 12))) AS p_tool_cost,
    countIf(priced AND kind IN ('llm', 'embedding')) AS p_priced_calls,
    countIf(NOT priced AND kind IN ('llm', 'embedding')) AS p_unpriced_calls,
    countIf(kind IN ('llm', 'embedding')) AS p_llm_calls,
    countIf(kind = 'tool') AS p_tool_calls,
    countIf(kind = 'task') AS p_task_spans,
    sum(input_tokens) AS p_input_tokens,
    sum(output_tokens) AS p_output_tokens,
    countIf(is_task_root AND outcome != '') AS p_root_outcomes,
    argMinIf(outcome, (start_time, span_id), is_task_root AND outcome != '') AS p_root_outcome,
    minIf(start_time, is_task_root AND outcome != '') AS p_root_outcome_at,
    countIf(outcome != '') AS p_outcomes,
    argMinIf(outcome, (start_time, span_id), outcome != '') AS p_outcome,
    minIf(start_time, outcome != '') AS p_outcome_at,
    countIf(status = 'error') AS p_error_spans`

/** The part columns by name, to read them back from `task_hours`. */
export const TASK_PARTIAL_COLUMNS = [...TASK_PARTIAL_SQL.matchAll(/ AS (p_\w+)/g)].map(
  (match) => match[1]!,
)

/**
 * Combines parts into one row per task (`GROUP BY task_id`): each column of the task aggregate
 * from the parts. A view asks only for the columns it shows, since every combined column costs
 * time at hundreds of thousands of tasks. A task's name and outcome are those of its task root when it has one, else of its
 * earliest span that carries one. Money stays Decimal(38, 12) through every sum. A task whose
 * model calls are all unpriced has an unknown spend (NULL, left out of the percentiles); a task
 * that made no model call had nothing to price and costs its tool fees, $0 without any.
 */
export const TASK_COMBINE: Record<TaskColumn, string> = {
  name: `if(sum(p_root_named) > 0, argMinIf(p_root_name, p_root_name_at, p_root_named > 0),
       argMinIf(p_name, p_name_at, p_named > 0))`,
  task_start: 'min(p_start)',
  task_end: 'max(p_end)',
  cost: `if(sum(p_priced_calls) = 0 AND sum(p_unpriced_calls) > 0, NULL,
       ifNull(sum(p_llm_cost), toDecimal128(0, 12)) + sum(p_tool_cost))`,
  priced_calls: 'sum(p_priced_calls)',
  unpriced_calls: 'sum(p_unpriced_calls)',
  llm_calls: 'sum(p_llm_calls)',
  tool_calls: 'sum(p_tool_calls)',
  input_tokens: 'sum(p_input_tokens)',
  output_tokens: 'sum(p_output_tokens)',
  outcome: `if(sum(p_root_outcomes) > 0,
       argMinIf(p_root_outcome, p_root_outcome_at, p_root_outcomes > 0),
       argMinIf(p_outcome, p_outcome_at, p_outcomes > 0))`,
  error_spans: 'sum(p_error_spans)',
}

/** The columns of the task aggregate besides `task_id`. */
export type TaskColumn =
  | 'name'
  | 'task_start'
  | 'task_end'
  | 'cost'
  | 'priced_calls'
  | 'unpriced_calls'
  | 'llm_calls'
  | 'tool_calls'
  | 'input_tokens'
  | 'output_tokens'
  | 'outcome'
  | 'error_spans'

export const TASK_COLUMNS = Object.keys(TASK_COMBINE) as TaskColumn[]

/**
 * Listed tasks: a task root (ours, or a foreign trace root) that did priced or tool work, or
 * LLM or tool spans at all, so plain HTTP traces of an instrumented app are not empty tasks.
 */
export const TASK_HAVING_SQL = `sum(p_llm_calls) + sum(p_tool_calls) > 0 OR sum(p_task_spans) > 0`

/** The model a call was billed as (the served one when known). */
export const BILLED_MODEL_SQL = `if(response_model != '', response_model, request_model)`

/** Spend per (task, provider, model) of model calls, for costs by model and provider. */
export const TASK_MODEL_PARTIAL_SQL = `
    task_id, provider, ${BILLED_MODEL_SQL} AS model, sumIf(cost_usd, priced) AS p_cost`

/**
 * Unpriced model calls per (task, provider, model), over the spans `UNPRICED_CALL_SQL` keeps:
 * the rows of `task_model_unpriced_hours`. Only pairs with such calls get a row (a few per
 * hundred calls), so costs by model count each model's own unpriced calls without widening the
 * spend parts.
 */
export const TASK_MODEL_UNPRICED_SQL = `
    task_id, provider, ${BILLED_MODEL_SQL} AS model, count() AS p_unpriced_calls`

export const UNPRICED_CALL_SQL = `kind IN ('llm', 'embedding') AND NOT priced`
