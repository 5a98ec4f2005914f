import type { ClickHouseClient } from '@clickhouse/client'
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
  type StepRefreshParams,
} from './step-partials'
import { refreshStepOutcomes } from './step-outcome-refresh'

/**
 * Writes the recommender's parts of some hours under a refresh id, from the deduplicated
 * spans; `where` selects the project's spans of those hours. Called by the refresher before it
 * stamps the hours, so the parts are there before any reader trusts the stamp.
 */
export async function refreshStepHours(
  client: ClickHouseClient,
  params: StepRefreshParams,
  where: string,
): Promise<void> {
  // Every filter column is the same in every stored version of a span (see recommendations'
  // scope.ts), so the filter can run before deduplication.
  const settings = { optimize_move_to_prewhere_if_final: 1 } as const
  const insert = (table: string, columns: string[], select: string) =>
    client.command({
      query: `INSERT INTO ${table} (project_id, refresh_id, hour, ${columns.join(', ')})
        SELECT {projectId:String}, {refreshId:UInt64}, ${select}`,
      query_params: params,
      clickhouse_settings: settings,
    })
  await insert(
    'step_arm_hours',
    [...ARM_KEY_COLUMNS, ...ARM_PARTIAL_COLUMNS],
    `${ARM_KEY_SQL}, ${ARM_PARTIAL_SQL}
      FROM spans FINAL WHERE ${where} AND ${STEP_CALL_SQL}
      GROUP BY ${ARM_GROUP_SQL}`,
  )
  await insert(
    'step_shadow_hours',
    SHADOW_COLUMNS,
    `${SHADOW_ROW_SQL} FROM spans FINAL WHERE ${where} AND ${SHADOW_SPANS_SQL}`,
  )
  await refreshStepOutcomes(client, params, where)
}
