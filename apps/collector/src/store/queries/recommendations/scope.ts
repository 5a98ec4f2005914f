import { INPUT_BAND_EDGES } from '@agentmeter/core'

/**
 * The calls a step cluster is made of: LLM calls with a step label, in the project and time
 * range (the sort key's leading columns), deduplicated (FINAL), and without the shadow calls,
 * which are evidence about a candidate model and not calls of the step's current model.
 */
export const STEP_CALLS = `project_id = {projectId:String}
  AND start_time >= {from:DateTime64(9, 'UTC')} AND start_time <= {to:DateTime64(9, 'UTC')}
  AND kind = 'llm' AND step != '' AND NOT shadow
  AND ({taskName:String} = '' OR task_name = {taskName:String})`

/** The model a call was billed as (the served one when known). */
export const MODEL = `if(response_model != '', response_model, request_model)`

/**
 * A 64-bit key of (task name, step, model): the outcomes query collects these per task, which
 * is much cheaper than tuples of strings; the calls query reports the same key per arm.
 */
export const ARM_KEY = `cityHash64(task_name, step, ${MODEL})`

/** How many band edges above 0 a call's input exceeds: its index in INPUT_BAND_EDGES. */
export const BAND_INDEX = `arrayCount(edge -> input_tokens > edge, [${INPUT_BAND_EDGES.slice(1).join(', ')}])`

/** `-Resample` parameters that give one array slot per band. */
export const PER_BAND = `Resample(0, ${INPUT_BAND_EDGES.length}, 1)`

// A type alias, not an interface: query_params takes a Record, and only aliases satisfy it.
export type ClusterQuery = {
  projectId: string
  from: string
  to: string
  taskName: string
}

/**
 * Filters before FINAL: every column the recommendation queries filter on (project, time, kind,
 * step, task name, shadow, propensity, task root, outcome) is the same in every stored version of
 * a span (a redelivery is identical, a reprice rewrites cost columns only), so filtering the
 * versions first and deduplicating the survivors gives the same rows as FINAL then WHERE, without
 * reading the wide columns (the attribute map) of every span in the range.
 */
export const FILTER_BEFORE_FINAL = { optimize_move_to_prewhere_if_final: 1 } as const
