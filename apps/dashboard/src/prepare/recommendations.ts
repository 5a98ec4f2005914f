import type { Evidence, Recommendation, RecommendationStatus } from '../api/recommendations'
import type { AcceptedSwitch } from '../api/what-if'
import { formatCount, formatPercent, formatUsd } from './format'
import { NO_VALUE } from './placeholders'

const EVIDENCE_LABELS: Record<Evidence, string> = {
  observed: 'observed',
  replay: 'replay sample',
  prior: 'prior only',
}

const STATUS_LABELS: Record<RecommendationStatus, string> = {
  recommended: 'Recommended',
  needs_evidence: 'Needs evidence',
  not_recommended: 'Not recommended',
}

/** A recommendation as a table row; every figure is text already. */
export interface RecommendationRow {
  key: string
  where: string
  current: string
  suggested: string
  status: RecommendationStatus
  statusLabel: string
  evidence: Evidence
  /** Lower-case label that goes with every savings figure. */
  evidenceLabel: string
  /** Rows resting on task-family priors only: shown, never as a recommendation. */
  isPrior: boolean
  /** Monthly savings with its interval and, always, its evidence label. */
  savings: string
  /** Predicted quality change in points of success rate, with its interval. */
  quality: string
  confidence: string
  sample: string
  reason: string
  /** Only a recommendation (not a prior) can be accepted in the what-if view. */
  selectable: boolean
  accepted: AcceptedSwitch
}

/** The identity of a switch: one (task name, step, current model, suggested model). */
export function switchKey(item: {
  taskName: string
  step: string
  currentModel: string
  suggestedModel: string
}): string {
  return [item.taskName, item.step, item.currentModel, item.suggestedModel].join('\u0000')
}

/**
 * Rows in the contract's order, made sure of here: recommendations by monthly savings, largest
 * first, then the rest as the server listed them, those with evidence before the priors (the
 * page's groups, in the page's order).
 */
export function prepareRecommendationRows(
  recommendations: readonly Recommendation[],
): RecommendationRow[] {
  const issued = recommendations.filter(isIssued)
  const rest = recommendations.filter((rec) => !isIssued(rec))
  return [
    ...issued.sort((a, b) => b.monthlySavingsUsd - a.monthlySavingsUsd),
    ...rest.filter((rec) => rec.evidence !== 'prior'),
    ...rest.filter((rec) => rec.evidence === 'prior'),
  ].map(toRow)
}

/** Which group of the page a row is in. */
export type RecommendationGroupId = 'recommended' | 'evidence' | 'prior'

/** A group of rows under its own heading; the prior-only group starts collapsed. */
export interface RecommendationGroup {
  id: RecommendationGroupId
  /** Heading with the count: `Prior only, no evidence yet (68)`. */
  title: string
  /** One sentence on what the rows are and what to do with them. */
  note: string
  rows: RecommendationRow[]
  collapsed: boolean
}

const GROUP_TEXTS: Record<RecommendationGroupId, { title: string; note: string }> = {
  recommended: {
    title: 'Recommended',
    note: 'Evidence shows the cheaper model does as well here: accept one to see its what-if below.',
  },
  evidence: {
    title: 'Not recommended or needing more evidence',
    note: 'Both models ran the step, but the evidence says no or is not enough yet; the sample says how much more is needed.',
  },
  prior: {
    title: 'Prior only, no evidence yet',
    note: 'No call of the step ran on the suggested model: only a task-family prior backs these, never a recommendation. Shadow calls on the suggested model would turn one into evidence.',
  },
}

/**
 * The page's groups, in `prepareRecommendationRows` order: what can be acted on first, then
 * the switches with evidence against or too little of it, then the priors, collapsed. A group
 * without rows is left out, except the recommended one, which says there is none yet.
 */
export function prepareRecommendationGroups(
  recommendations: readonly Recommendation[],
): RecommendationGroup[] {
  const rows = prepareRecommendationRows(recommendations)
  const groupOf = (row: RecommendationRow): RecommendationGroupId =>
    row.selectable ? 'recommended' : row.isPrior ? 'prior' : 'evidence'
  const ids: RecommendationGroupId[] = ['recommended', 'evidence', 'prior']
  return ids
    .map((id) => {
      const members = rows.filter((row) => groupOf(row) === id)
      return {
        id,
        title: `${GROUP_TEXTS[id].title} (${formatCount(members.length)})`,
        note: GROUP_TEXTS[id].note,
        rows: members,
        collapsed: id === 'prior',
      }
    })
    .filter((group) => group.id === 'recommended' || group.rows.length > 0)
}

/**
 * The list in one sentence, above the groups: how many switches are recommended, how many
 * have evidence against or too little of it, and how many rest on priors only.
 */
export function recommendationSummary(recommendations: readonly Recommendation[]): string {
  const issued = recommendations.filter(isIssued).length
  const prior = recommendations.filter((rec) => rec.evidence === 'prior').length
  const evidence = recommendations.length - issued - prior
  const parts = [
    `${formatCount(issued)} ${issued === 1 ? 'switch' : 'switches'} recommended`,
    `${formatCount(evidence)} with evidence against or not enough yet`,
    `${formatCount(prior)} prior only, without evidence (folded below)`,
  ]
  return `${parts.join('; ')}.`
}

function isIssued(rec: Recommendation): boolean {
  return rec.status === 'recommended' && rec.evidence !== 'prior'
}

function toRow(rec: Recommendation): RecommendationRow {
  const isPrior = rec.evidence === 'prior'
  const evidenceLabel = EVIDENCE_LABELS[rec.evidence]
  const [low, high] = rec.monthlySavingsIntervalUsd
  const savings = `${formatUsd(rec.monthlySavingsUsd)}/mo (${formatUsd(low)} to ${formatUsd(high)}), ${evidenceLabel}`
  return {
    key: switchKey(rec),
    where: `${rec.taskName || '(unnamed task)'} · step ${rec.step}`,
    current: withProvider(rec.currentModel, rec.currentProvider),
    suggested: withProvider(rec.suggestedModel, rec.suggestedProvider),
    status: rec.status,
    statusLabel: isPrior ? 'Prior only, not a recommendation' : STATUS_LABELS[rec.status],
    evidence: rec.evidence,
    evidenceLabel,
    isPrior,
    savings: isPrior ? `${savings}; if the prior holds` : savings,
    quality: formatQuality(rec),
    confidence: formatPercent(rec.confidence),
    sample: formatSample(rec),
    reason: rec.reason,
    selectable: isIssued(rec),
    accepted: {
      taskName: rec.taskName,
      step: rec.step,
      currentModel: rec.currentModel,
      suggestedModel: rec.suggestedModel,
      ...(rec.suggestedProvider ? { suggestedProvider: rec.suggestedProvider } : {}),
      outputRatio: rec.outputRatio,
    },
  }
}

function withProvider(model: string, provider: string): string {
  return provider ? `${model} (${provider})` : model
}

/** Points with a sign and one decimal, a true minus sign for drops: `+0.4 pts`, `−2.5 pts`. */
export function formatPoints(points: number): string {
  const bare = signedPoints(points)
  return bare === NO_VALUE ? bare : `${bare} pts`
}

// Rounded half away from zero, so an interval reads the same on both sides of zero.
function signedPoints(points: number): string {
  if (!Number.isFinite(points)) return NO_VALUE
  const tenths = Math.round(Math.abs(points) * 10)
  if (tenths === 0) return '0.0'
  return `${points > 0 ? '+' : '\u2212'}${(tenths / 10).toFixed(1)}`
}

function formatQuality(rec: Recommendation): string {
  const [low, high] = rec.qualityDeltaInterval
  return `${formatPoints(rec.qualityDelta)} (${signedPoints(low)} to ${signedPoints(high)})`
}

// The sample a decision would need is told only where the evidence does not decide yet (a
// prior, or a row that needs evidence): on a row the evidence decided it reads as a shortfall.
function formatSample(rec: Recommendation): string {
  const base = `${rec.sample.current} vs ${rec.sample.suggested}`
  const undecided = rec.evidence === 'prior' || rec.status === 'needs_evidence'
  return rec.neededSample === null || !undecided
    ? base
    : `${base}; needs ${rec.neededSample} per model`
}
