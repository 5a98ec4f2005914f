import type { ClickHouseClient } from '@clickhouse/client'
import { planRange, rawIntervals, type RangePlan } from '../rollups/plan'
import type { TimeRange } from './time-range'

/**
 * A plan that reads one task's spans from the spans alone, over the stretches of the range
 * where it can have spans: the current hours that `task_hour_index` lists for it, and every
 * hour that is not current (not refreshed since its last delivery, a partial first or last
 * hour, or refreshed by a collector that kept no index). A current hour was refreshed after
 * its last delivery, so if it holds a span of the task, the index lists it.
 */
export async function taskSpanPlan(
  client: ClickHouseClient,
  query: { projectId: string; taskId: string; range: TimeRange },
): Promise<RangePlan> {
  const plan = await planRange(client, query.projectId, query.range)
  const result = await client.query({
    // Not `AS hour`: the alias would replace the column in the WHERE clause.
    query: `SELECT DISTINCT toString(hour) AS hour_text FROM task_hour_index
      WHERE project_id = {projectId:String} AND task_id = {taskId:String}
        AND hour >= toStartOfHour({from:DateTime64(9, 'UTC')}) AND hour <= {to:DateTime64(9, 'UTC')}`,
    query_params: { ...query.range, projectId: query.projectId, taskId: query.taskId },
    format: 'JSONEachRow',
  })
  const taskHours = new Set(
    (await result.json<{ hour_text: string }>()).map((row) => row.hour_text),
  )
  const uncovered = new Set(plan.uncoveredHours)
  // The current hours the task cannot have spans in: leaving them out leaves the rest to read.
  const skipped = plan.freshHours.filter((hour) => !taskHours.has(hour) && !uncovered.has(hour))
  return {
    projectId: query.projectId,
    range: query.range,
    freshHours: [],
    freshRefreshIds: [],
    uncoveredHours: [],
    uncoveredRefreshIds: [],
    raw: rawIntervals(query.range, skipped),
  }
}
