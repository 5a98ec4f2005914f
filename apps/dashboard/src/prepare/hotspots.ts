import type { Hotspot, HotspotCause, HotspotReport } from '../api/hotspots'
import { formatPercent, formatUsd } from './format'

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

/** Rows ranked by dollars wasted (the API's order, made sure of here). */
export function prepareHotspotRows(hotspots: readonly Hotspot[]): HotspotRow[] {
  return [...hotspots]
    .sort((a, b) => b.wastedUsd - a.wastedUsd)
    .map((hotspot, index) => {
      const detail = DETAIL_LABELS[hotspot.detail]
      const where = [
        hotspot.taskName || '(unnamed task)',
        hotspot.step && `step ${hotspot.step}`,
        hotspot.tool && `tool ${hotspot.tool}`,
        hotspot.model,
      ].filter(Boolean)
      return {
        key: `${hotspot.cause}|${hotspot.taskName}|${hotspot.step}|${hotspot.model}|${hotspot.tool}|${hotspot.detail}`,
        rank: index + 1,
        cause: detail ? `${CAUSE_LABELS[hotspot.cause]} (${detail})` : CAUSE_LABELS[hotspot.cause],
        where: where.join(' · '),
        occurrences: hotspot.occurrences,
        wastedUsd: hotspot.wastedUsd,
        share: formatPercent(hotspot.shareOfSpend),
        fix: hotspot.fix,
        examples: hotspot.examples.slice(0, 3),
      }
    })
}

/** The sentence above the table: the waste and, when anything was spent, its share. */
export function hotspotTotalText(report: HotspotReport): string {
  const share =
    report.wastedShare === null
      ? ''
      : ` (${formatPercent(report.wastedShare)} of ${formatUsd(report.totalSpendUsd)} spent)`
  return `${formatUsd(report.totalWastedUsd)} wasted on repeated work${share}.`
}
