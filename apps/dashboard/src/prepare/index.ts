/**
 * Prepare functions: every presentation decision of the dashboard (buckets, series, order,
 * colours, units, text) lives here as pure functions, and components only map these models to
 * props.
 *
 * Null versus zero, per metric. Zero is a measured nothing; null is "we do not know" or "does not
 * exist", and is never drawn or written as zero:
 * - Spend of a (bucket, task name) pair without a cost row: 0, nothing was spent. Total spend
 *   over no rows: 0 (`$0.00`).
 * - Cost of a task: `null` when nothing in it was priced, written `unpriced`; a 0 made only of
 *   priced calls while others went unpriced is written `unpriced` too, with the `n unpriced` badge.
 * - Cost of a span: `unpriced` when the span is not priced (`priced: false` or no amount); a
 *   priced span that cost nothing is `$0.00`.
 * - p50 / p95 task cost: `null` (`—`, no bar) for a group without tasks, whatever the server sent,
 *   and for a merged "other" series (percentiles do not add up).
 * - Cost per successful task: `null` (`—`) when no task of the group succeeded.
 * - Token usage of a span: `null` is unknown, written `unknown` for every kind; inside a known
 *   usage a kind the provider did not report is 0. Cache and reasoning totals of a task sum the
 *   spans with known usage, and are `unknown` when none had one.
 * - Counts (tasks, calls, successes, failures): 0 is 0. Failures counted in a task list cut off by
 *   its limit are a floor, written `≥ n`.
 * - Durations and times: `—` when a timestamp is unreadable or the end precedes the start.
 */
export { prepareCostDistribution } from './cost-distribution'
export type { CostDistributionModel, DistributionBar, DistributionRow } from './cost-distribution'
export { prepareCostSummary } from './cost-summary'
export type { CostSummaryModel, ListedTasks } from './cost-summary'
export { DEFAULT_FILTERS, RANGE_PRESETS, filtersToSearch, parseFilters } from './filters'
export { bucketForRange, resolveTimeWindow } from './filters'
export type { CostFilters, RangePreset } from './filters'
export { durationMillis, formatDuration } from './format-duration'
export { formatUsd, formatUsdExact, formatUsdTick } from './format-money'
export { formatTimestamp } from './format-time'
export { formatCount, formatTokens } from './format-tokens'
export { OTHER_SERIES_COLOR, PERCENTILE_COLORS, seriesColor } from './palette'
export { NO_VALUE, UNKNOWN, UNPRICED } from './placeholders'
export { layoutSpans } from './span-tree'
export type { LayoutWindow, SpanLayout, SpanTreeLayout } from './span-tree'
export { ALL_TASKS_SERIES_NAME, OTHER_SERIES_NAME, prepareSpendSeries } from './spend-series'
export type { SpendChartModel, SpendDatum, SpendSeries, SpendSeriesOptions } from './spend-series'
export type { SpendTooltip, SpendTooltipLine } from './spend-series'
export { prepareTaskDetail } from './task-detail'
export type { SpanRowModel, TaskDetailModel, TaskHeaderModel, TokenTexts } from './task-detail'
export { outcomeView, taskCostText, unpricedBadge } from './task-fields'
export type { OutcomeView } from './task-fields'
export { prepareTaskList } from './task-list'
export type { TaskListModel, TaskListOptions, TaskListRow } from './task-list'
export { UNNAMED_TASK, displayTaskName } from './task-name'
export { prepareTaskNameOptions } from './task-names'
export type { TaskNameOption } from './task-names'
export { bucketLabel, bucketOf, bucketTitle, bucketsInWindow } from './time-buckets'
export type { Bucket, BucketSlot } from './time-buckets'
