/**
 * The per-task aggregate every task view shares: one row per task id, over the deduplicated
 * spans of a project and time range. A task is listed when it has a task root (ours, or a
 * foreign trace root) that did priced or tool work, or when it has LLM or tool spans at all,
 * so plain HTTP traces of an instrumented app do not show up as empty tasks.
 *
 * Money stays Decimal(38, 12) through every sum; it becomes text only at the end (`toString`),
 * so the API turns exact decimals into JSON numbers once, at the edge.
 */
export const TASK_AGGREGATE_SQL = `
  SELECT
    task_id,
    if(countIf(is_task_root AND task_name != '') > 0,
       anyIf(task_name, is_task_root AND task_name != ''),
       anyIf(task_name, task_name != '')) AS name,
    min(start_time) AS task_start,
    max(end_time) AS task_end,
    sumIf(cost_usd, priced) + sum(ifNull(tool_cost_usd, toDecimal128(0, 12))) AS cost,
    countIf(priced AND kind IN ('llm', 'embedding')) AS priced_calls,
    countIf(NOT priced AND kind IN ('llm', 'embedding')) AS unpriced_calls,
    countIf(kind IN ('llm', 'embedding')) AS llm_calls,
    countIf(kind = 'tool') AS tool_calls,
    sum(input_tokens) AS input_tokens,
    sum(output_tokens) AS output_tokens,
    if(countIf(is_task_root AND outcome != '') > 0,
       anyIf(outcome, is_task_root AND outcome != ''),
       anyIf(outcome, outcome != '')) AS outcome,
    countIf(status = 'error') AS error_spans
  FROM spans FINAL
  WHERE project_id = {projectId:String}
    AND start_time >= {from:DateTime64(9, 'UTC')}
    AND start_time <= {to:DateTime64(9, 'UTC')}
  GROUP BY task_id
  HAVING llm_calls + tool_calls > 0 OR countIf(kind = 'task') > 0
`
