import { taskTotalsInsertSql } from '../rollups/task-totals'
import type { Migration } from './migration'

/** Per distinct provider of a totals row, `sum` of the `values` of that provider's models. */
const perProvider = (sum: (values: string) => string, values: string) =>
  `arrayMap(p -> ${sum(`arrayFilter((v, k) -> k = p, ${values}, model_providers)`)},
    arrayDistinct(model_providers))`

/**
 * What costs by model and provider read from a task's totals row, so that they need no join
 * and no per-row regrouping (see `queries/costs.ts`):
 *
 * - `model_unpriced_calls`: each (provider, model) pair's own unpriced calls, aligned with
 *   `model_costs`. The refresher writes it (from `task_model_unpriced_hours`); rows written
 *   before have none, and the default gives them zeros, one per pair, which is their answer
 *   when the task had no unpriced call (most rows). Those that had one are rebuilt from the
 *   parts they name, as the refresher would (same version, and of equal versions the last
 *   inserted row is the one read). They are found by their counts not adding up to the task's,
 *   so a second run finds none left.
 * - `provider_names`, `provider_costs`, `provider_unpriced_calls`: the same per distinct
 *   provider, defined by the table from the per-pair arrays, so every writer (the refresher,
 *   a rebuild, an older collector) gets them consistent. Most rows have two models of one
 *   provider; summing those on every read took about a third of costs by provider's time.
 *
 * Rows written before would compute the per-provider arrays on every read, and the rebuilt
 * rows replace rows in every part, which each `FINAL` read would merge again until a merge
 * meets both (about 15 % more time for costs by day on the 10 M bench store). So the table is
 * merged once (`OPTIMIZE ... FINAL` rewrites every part, with the arrays): under a second at
 * 10 M spans; run again, it only merges again.
 */
export const totalsUnpricedAndProviders: Migration = {
  version: 63,
  name: 'totals-unpriced-and-providers',
  statements: [
    `ALTER TABLE task_totals ADD COLUMN IF NOT EXISTS model_unpriced_calls Array(UInt64)
      DEFAULT arrayWithConstant(length(model_names), toUInt64(0))`,
    `ALTER TABLE task_totals ADD COLUMN IF NOT EXISTS provider_names
      Array(LowCardinality(String)) DEFAULT arrayDistinct(model_providers)`,
    `ALTER TABLE task_totals ADD COLUMN IF NOT EXISTS provider_costs
      Array(Nullable(Decimal(38, 12))) DEFAULT ${perProvider((costs) => `arrayReduce('sum', ${costs})`, 'model_costs')}`,
    `ALTER TABLE task_totals ADD COLUMN IF NOT EXISTS provider_unpriced_calls Array(UInt64)
      DEFAULT ${perProvider((calls) => `arraySum(${calls})`, 'model_unpriced_calls')}`,
    taskTotalsInsertSql(`(project_id, task_id) IN (
        SELECT project_id, task_id FROM task_totals FINAL
        WHERE is_first = 1 AND arraySum(model_unpriced_calls) != unpriced_calls)`),
    `OPTIMIZE TABLE task_totals FINAL`,
  ],
}
