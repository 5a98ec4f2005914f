import { INPUT_BAND_EDGES } from '@agentmeter/core'

/**
 * The recommender's step aggregates split into parts that add up, as `task-partials.ts` does for
 * the task views: the refresher writes them per settled hour, and a query combines the current
 * hours' parts with the same parts computed from the spans of every other stretch of its range.
 * Every part is a count, a sum (exact integers and Decimals, never floats), a maximum, a map of
 * counts, or an earliest value kept with its time, so any split of the spans into parts gives
 * the same combined figures.
 *
 * Three kinds of part:
 * - arm parts, per (hour, task name, step, model, provider, system prompt hash, input band):
 *   the step calls of one model with their token mix, spend and the moments of the savings
 *   interval;
 * - task parts, per (hour, task): the root's outcome and score and the arms its step calls ran
 *   on, so each task's outcome counts once per arm however many hours the task spans, and
 *   whether the task had parts in other hours when the part was written (`p_split`);
 * - outcome parts, per (hour, arm key mode, arm): the outcomes and scores of the hour's tasks
 *   that had no part in any other hour (most tasks), summed per arm, so a query does not group
 *   a million tasks (see `rollups/step-outcome-refresh.ts` for how they stay exact);
 * - shadow rows: the shadow calls and the real calls they copied, one row each (a few per
 *   thousand calls), joined at query time because a pair may straddle two hours.
 */

/** The hours one refresh statement covers, and the refresh id its rows carry. */
// A type alias, not an interface: query_params takes a Record, and only aliases satisfy it.
export type StepRefreshParams = {
  projectId: string
  hours: string[]
  refreshId: number
}

/** The model a call was billed as (the served one when known). */
export const STEP_MODEL_SQL = `if(response_model != '', response_model, request_model)`

/** How many band edges above 0 a call's input exceeds: its index in INPUT_BAND_EDGES. */
export const BAND_INDEX_SQL = `toUInt8(arrayCount(edge -> input_tokens > edge, [${INPUT_BAND_EDGES.slice(1).join(', ')}]))`

/** The calls a step is made of: LLM calls with a step label, without the shadow calls. */
export const STEP_CALL_SQL = `kind = 'llm' AND step != '' AND NOT shadow`

/**
 * Input tokens on a grid that keeps 64 values per power of two (exact below 128), rounded up:
 * the p99 input of a step from these is at most 1/64 above the exact one, which errs on the
 * safe side of the context-window check, and unlike an exact quantile it merges across parts.
 */
const INPUT_GRID_SQL = `toUInt64(if(input_tokens < 128, input_tokens,
    intDiv(input_tokens + step_size - 1, step_size) * step_size))`
const GRID_STEP_SQL = `toUInt64(exp2(floor(log2(greatest(input_tokens, 1))) - 6))`

/** Spend in pico-USD as an exact integer, for the moments (squares would not fit a Decimal). */
const PICO_SQL = `toInt128(ifNull(cost_usd, toDecimal128(0, 12)) * 1000000000000)`

/** The grouping columns of an arm part, as computed from a span row. */
export const ARM_KEY_SQL = `toStartOfHour(start_time) AS hour, task_name, step,
    ${STEP_MODEL_SQL} AS model, provider, system_hash, ${BAND_INDEX_SQL} AS band`

export const ARM_GROUP_SQL = 'hour, task_name, step, model, provider, system_hash, band'

/**
 * Arm parts over a group of deduplicated step calls. A retry is a call whose request (same
 * request hash) its task already sent in the same hour: counted exactly per hour, so it merges.
 */
export const ARM_PARTIAL_SQL = `
    count() AS p_calls,
    countIf(NOT priced) AS p_unpriced,
    sum(input_tokens) AS p_input,
    sum(output_tokens) AS p_output,
    countIf(status = 'error') AS p_errors,
    toUInt64(countIf(request_hash != 0)
      - uniqExactIf((task_id, request_hash), request_hash != 0)) AS p_retries,
    sumMap(CAST(finish_reasons, 'Array(String)'),
      arrayMap(reason -> toUInt64(1), finish_reasons)) AS p_finish,
    toUInt8(max(tools_hash != 0
      OR hasAny(finish_reasons, ['tool_calls', 'tool_use', 'function_call']))) AS p_tools,
    toUInt8(max(output_type = 'json')) AS p_structured,
    toUInt8(max(arrayExists(k -> positionCaseInsensitive(k, 'image') > 0, mapKeys(usage_extra))))
      AS p_vision,
    sumMap([${INPUT_GRID_SQL.replaceAll('step_size', GRID_STEP_SQL)}], [toUInt64(1)])
      AS p_input_grid,
    countIf(priced) AS p_priced,
    sumIf(input_tokens, priced) AS p_priced_input,
    sumIf(output_tokens, priced) AS p_priced_output,
    sumIf(ifNull(cost_usd, toDecimal128(0, 12)), priced) AS p_cost,
    sumIf(${PICO_SQL} * ${PICO_SQL}, priced) AS p_cc,
    sumIf(toUInt128(input_tokens) * input_tokens, priced) AS p_ii,
    sumIf(toUInt128(output_tokens) * output_tokens, priced) AS p_oo,
    sumIf(${PICO_SQL} * input_tokens, priced) AS p_ci,
    sumIf(${PICO_SQL} * output_tokens, priced) AS p_co,
    sumIf(toUInt128(input_tokens) * output_tokens, priced) AS p_io`

export const ARM_PARTIAL_COLUMNS = [...ARM_PARTIAL_SQL.matchAll(/ AS (p_\w+)/g)].map(
  (match) => match[1]!,
)

export const ARM_KEY_COLUMNS = ['task_name', 'step', 'model', 'provider', 'system_hash', 'band']

/** A usable score: the recommender weighs scores in [0, 1] only. */
const SCORED = 'score IS NOT NULL AND score >= 0 AND score <= 1'

/** Task parts: the earliest root outcome and score, and the arms of the task's step calls. */
export const TASK_STEP_PARTIAL_SQL = `
    argMinIf(outcome, (start_time, span_id), is_task_root AND outcome != '') AS p_outcome,
    minIf(start_time, is_task_root AND outcome != '') AS p_outcome_at,
    argMinIf(score, (start_time, span_id), is_task_root AND ${SCORED}) AS p_score,
    minIf(start_time, is_task_root AND ${SCORED}) AS p_score_at,
    groupUniqArrayIf((cityHash64(task_name, step, ${STEP_MODEL_SQL}), system_hash, ${BAND_INDEX_SQL}),
      ${STEP_CALL_SQL}) AS p_arms`

export const TASK_STEP_PARTIAL_COLUMNS = [...TASK_STEP_PARTIAL_SQL.matchAll(/ AS (p_\w+)/g)].map(
  (match) => match[1]!,
)

/** The spans a task part is made of: roots with an outcome or score, and step calls. */
export const TASK_STEP_SPANS_SQL = `((is_task_root AND (outcome != '' OR ${SCORED}))
    OR (${STEP_CALL_SQL}))`

/** Shadow calls and the real calls of steps in shadow mode (those carry the propensity). */
export const SHADOW_ROW_SQL = `toStartOfHour(start_time) AS hour, trace_id, span_id, task_name,
    step, ${STEP_MODEL_SQL} AS model, provider, system_hash, ${BAND_INDEX_SQL} AS band,
    output_tokens, shadow,
    shadow_primary_span_id AS primary_id, shadow_propensity AS propensity, shadow_score AS score`

export const SHADOW_COLUMNS = [
  'trace_id',
  'span_id',
  'task_name',
  'step',
  'model',
  'provider',
  'system_hash',
  'band',
  'output_tokens',
  'shadow',
  'primary_id',
  'propensity',
  'score',
]

export const SHADOW_SPANS_SQL = `kind = 'llm' AND (shadow OR (step != '' AND shadow_propensity > 0))`

/** The modes of the arm key: bit 1 adds the system prompt hash, bit 2 the input band. */
export const ARM_KEY_MODES = [0, 1, 2, 3] as const

/** `armKeySql` for a mode held in the column `mode`, over an arm tuple `a`. */
export const MODE_ARM_KEY_SQL = `cityHash64(a.1, if(bitAnd(mode, 1) != 0, a.2, toUInt64(0)),
    if(bitAnd(mode, 2) != 0, a.3, toUInt8(0)))`

/** The arm key mode of a query's cluster keys. */
export function armKeyMode(keys: { promptHash: boolean; inputBand: boolean }): number {
  return (keys.promptHash ? 1 : 0) + (keys.inputBand ? 2 : 0)
}
