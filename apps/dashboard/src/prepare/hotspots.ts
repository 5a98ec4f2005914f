import type { Hotspot, HotspotCause, HotspotReport } from '../api/hotspots'
import { formatCount, formatPercent, formatUsd } from './format'

const CAUSE_LABELS: Record<HotspotCause, string> = {
  duplicate_llm_call: 'Duplicate LLM call',
  repeated_tool_call: 'Repeated tool call',
  missed_prompt_cache: 'Missed prompt cache',
  near_duplicate_prompt: 'Near-duplicate prompt',
  loop: 'Loop',
}

const DETAIL_LABELS: Record<string, string> = {
  system: 'system prompt changed',
  tools: 'tool schema changed',
  history: 'history rewritten',
  ttl: 'cache expired',
  unused_cache: 'prefix not cached',
  deterministic: 'same answer',
  same_request_different_answer: 'same request',
}

/** A hotspot as a table row: where it is, what it is, what it cost and what to change. */
export interface HotspotRow {
  key: string
  rank: number
  cause: string
  where: string
  occurrences: number
  wastedUsd: number
  /** Share of all spend in the range, as `formatPercent` writes it (`<0.1%`, `—`). */
  share: string
  fix: string
  examples: Array<{ taskId: string; spanId: string }>
}

/**
 * The page ranks money. A repeat with no priced spend (a free tool called again with the same
 * arguments, whose result fed no priced call) is no spend to recover, and ranked among dollars
 * it reads as a `$0.00` hotspot: it is left out of the rows and named in `unlistedHotspotsText`.
 * Any amount above zero stays, however small, with its real digits: the rows add up to the
 * total above them.
 */
function costsMoney(hotspot: Hotspot): boolean {
  return hotspot.wastedUsd > 0
}

function causeText(hotspot: Hotspot): string {
  const detail = DETAIL_LABELS[hotspot.detail]
  return detail ? `${CAUSE_LABELS[hotspot.cause]} (${detail})` : CAUSE_LABELS[hotspot.cause]
}

function whereText(hotspot: Hotspot): string {
  return [
    hotspot.taskName || '(unnamed task)',
    hotspot.step && `step ${hotspot.step}`,
    hotspot.tool && `tool ${hotspot.tool}`,
    hotspot.model,
  ]
    .filter(Boolean)
    .join(' · ')
}

/** Rows of the hotspots that cost money, ranked by dollars wasted (the API's order, made sure of). */
export function prepareHotspotRows(hotspots: readonly Hotspot[]): HotspotRow[] {
  return hotspots
    .filter(costsMoney)
    .sort((a, b) => b.wastedUsd - a.wastedUsd)
    .map((hotspot, index) => ({
      key: `${hotspot.cause}|${hotspot.taskName}|${hotspot.step}|${hotspot.model}|${hotspot.tool}|${hotspot.detail}`,
      rank: index + 1,
      cause: causeText(hotspot),
      where: whereText(hotspot),
      occurrences: hotspot.occurrences,
      wastedUsd: hotspot.wastedUsd,
      share: formatPercent(hotspot.shareOfSpend),
      fix: hotspot.fix,
      examples: hotspot.examples.slice(0, 3),
    }))
}

/** How many repeats without priced spend are named one by one; past that, only counted. */
const NAMED_UNLISTED = 3

/**
 * The repeats with no priced spend, so not ranked, in one sentence under the table;
 * `null` when there are none.
 */
export function unlistedHotspotsText(hotspots: readonly Hotspot[]): string | null {
  const free = hotspots.filter((hotspot) => !costsMoney(hotspot))
  if (free.length === 0) return null
  if (free.length > NAMED_UNLISTED) {
    return `Not listed: ${formatCount(free.length)} repeats with no priced spend.`
  }
  const named = free.map(
    (hotspot) =>
      `${causeText(hotspot).toLowerCase()} in ${whereText(hotspot)}, ${formatCount(hotspot.occurrences)} times`,
  )
  return `Not listed, with no priced spend: ${named.join('; ')}.`
}

/** The sentence above the table: the waste and, when anything was spent, its share. */
export function hotspotTotalText(report: HotspotReport): string {
  const share =
    report.wastedShare === null
      ? ''
      : ` (${formatPercent(report.wastedShare)} of ${formatUsd(report.totalSpendUsd)} spent)`
  return `${formatUsd(report.totalWastedUsd)} wasted on repeated work${share}.`
}
