import { taskTotalsInsertSql } from '../rollups/task-totals'
import type { Migration } from './migration'

/**
 * Tasks that made no model call used to get a NULL spend in `task_totals` (the sum of their
 * priced calls, over none, is NULL), so a task of tools alone showed no tool fees and was left
 * out of the percentiles. Their totals rows are rebuilt from the parts they combined, with the
 * spend the combine now gives (`rollups/task-partials.ts`). Only such rows are touched (a NULL
 * spend without an unpriced call): a handful next to the rest, and none once rebuilt, so a
 * second run inserts nothing.
 */
export const noCallTaskTotals: Migration = {
  version: 91,
  name: 'no-call-task-totals',
  statements: [
    taskTotalsInsertSql(`(project_id, task_id) IN (
        SELECT project_id, task_id FROM task_totals FINAL
        WHERE is_first = 1 AND cost IS NULL AND unpriced_calls = 0)`),
  ],
}
