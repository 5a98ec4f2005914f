import { planParams, rawSpansCondition, rollupCondition, type RangePlan } from '../../rollups/plan'
import {
  ARM_GROUP_SQL,
  ARM_KEY_COLUMNS,
  ARM_KEY_SQL,
  ARM_PARTIAL_COLUMNS,
  ARM_PARTIAL_SQL,
  SHADOW_COLUMNS,
  SHADOW_ROW_SQL,
  SHADOW_SPANS_SQL,
  STEP_CALL_SQL,
  TASK_STEP_PARTIAL_SQL,
  TASK_STEP_SPANS_SQL,
} from '../../rollups/step-partials'
import type { SqlFragment } from '../explore/filters'

/** Which optional cluster keys split a step: its system prompt hash, its input band. */
export interface ClusterKeys {
  promptHash: boolean
  inputBand: boolean
}

/**
 * What the recommendation queries read: a range plan (current hours from the step rollups, the
 * rest from the spans), an optional task name, and the Explore filters as a condition on span
 * rows. Filters select tasks, which the per-hour arm parts cannot tell apart, so a filtered
 * query gets a plan that reads only spans (`rawPlan`).
 */
export interface StepSource {
  plan: RangePlan
  taskName: string
  taskFilter: SqlFragment
  keys: ClusterKeys
}

const TASK_NAME = `({taskName:String} = '' OR task_name = {taskName:String})`

/** The query parameters of a source's SQL. */
export function sourceParams(source: StepSource): Record<string, unknown> {
  return { ...planParams(source.plan), taskName: source.taskName, ...source.taskFilter.params }
}

/**
 * The arm key of a cluster and model: (task name, step, model) hashed with the cluster keys in
 * use (0 for those not asked). `arm` is `cityHash64(task_name, step, model)`.
 */
export function armKeySql(keys: ClusterKeys, arm: string, system: string, band: string): string {
  // Typed zeros: the hash of a UInt8 0 differs from that of a UInt64 0.
  const zeroSystem = 'toUInt64(0)'
  const zeroBand = 'toUInt8(0)'
  return `cityHash64(${arm}, ${keys.promptHash ? system : zeroSystem}, ${keys.inputBand ? band : zeroBand})`
}

function union(parts: string[]): string {
  return parts.join('\n      UNION ALL\n      ')
}

/** Arm parts (`ARM_KEY_COLUMNS` and `ARM_PARTIAL_COLUMNS`) of a source. */
export function armPartsSql(source: StepSource): string {
  const parts: string[] = []
  if (source.plan.freshHours.length > 0) {
    parts.push(`SELECT ${[...ARM_KEY_COLUMNS, ...ARM_PARTIAL_COLUMNS].join(', ')}
      FROM step_arm_hours WHERE ${rollupCondition()} AND ${TASK_NAME}`)
  }
  if (source.plan.raw.length > 0) {
    parts.push(`SELECT ${[...ARM_KEY_COLUMNS, ...ARM_PARTIAL_COLUMNS].join(', ')} FROM (
        SELECT ${ARM_KEY_SQL}, ${ARM_PARTIAL_SQL}
        FROM spans FINAL
        WHERE ${rawSpansCondition(source.plan)} AND ${STEP_CALL_SQL} AND ${TASK_NAME}
          AND ${source.taskFilter.sql}
        GROUP BY ${ARM_GROUP_SQL})`)
  }
  return union(parts)
}

/**
 * Task parts (`task_id` and `TASK_STEP_PARTIAL_COLUMNS`) of a source's raw stretches. The task
 * name is not applied here: the arms of other task names find no arm to count for.
 */
export function rawTaskPartsSql(source: StepSource): string {
  return `SELECT task_id, ${TASK_STEP_PARTIAL_SQL}
      FROM spans FINAL
      WHERE ${rawSpansCondition(source.plan)} AND ${TASK_STEP_SPANS_SQL}
        AND ${source.taskFilter.sql}
      GROUP BY toStartOfHour(start_time), task_id`
}

/** Shadow calls and the primaries they copied (`SHADOW_COLUMNS`) of a source. */
export function shadowRowsSql(source: StepSource): string {
  const parts: string[] = []
  if (source.plan.freshHours.length > 0) {
    parts.push(`SELECT ${SHADOW_COLUMNS.join(', ')}
      FROM step_shadow_hours WHERE ${rollupCondition()} AND ${TASK_NAME}`)
  }
  if (source.plan.raw.length > 0) {
    parts.push(`SELECT ${SHADOW_COLUMNS.join(', ')} FROM (
        SELECT ${SHADOW_ROW_SQL}
        FROM spans FINAL
        WHERE ${rawSpansCondition(source.plan)} AND ${SHADOW_SPANS_SQL} AND ${TASK_NAME}
          AND ${source.taskFilter.sql})`)
  }
  return union(parts)
}
