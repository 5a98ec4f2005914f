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

/** The input band of a call: the highest edge its input exceeds (see INPUT_BAND_EDGES). */
export const BAND = `multiIf(${[...INPUT_BAND_EDGES]
  .reverse()
  .map((edge) => `input_tokens > ${edge}, ${edge}`)
  .join(', ')}, 0)`

// A type alias, not an interface: query_params takes a Record, and only aliases satisfy it.
export type ClusterQuery = {
  projectId: string
  from: string
  to: string
  taskName: string
}
