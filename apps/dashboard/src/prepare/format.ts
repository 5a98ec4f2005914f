/**
 * The one place pages take their number and date formats from: money in USD (`formatUsd`, and
 * `formatUsdExact` / `formatUsdTick` on the same rule, see `format-money.ts`), tokens and counts,
 * shares as percentages, instants and UTC days. New pages import from here, so a unit reads the
 * same everywhere.
 */
export { formatUsd, formatUsdExact, formatUsdTick } from './format-money'
export { formatCount, formatTokens } from './format-tokens'
export { formatChange, formatPercent, signed } from './format-percent'
export { formatTimestamp } from './format-time'
export { bucketLabel, bucketOf, bucketTitle } from './time-buckets'
