import type { Evidence, Recommendation, RecommendationStatus } from '../api/recommendations'
import type { AcceptedSwitch } from '../api/what-if'
import { formatPercent, formatUsd } from './format'
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
 * first, then the rest as the server listed them.
 */
export function prepareRecommendationRows(
  recommendations: readonly Recommendation[],
): RecommendationRow[] {
  const issued = recommendations.filter(isIssued)
  const rest = recommendations.filter((rec) => !isIssued(rec))
  return [...issued.sort((a, b) => b.monthlySavingsUsd - a.monthlySavingsUsd), ...rest].map(toRow)
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

function formatSample(rec: Recommendation): string {
  const base = `${rec.sample.current} vs ${rec.sample.suggested}`
  return rec.neededSample === null ? base : `${base}; needs ${rec.neededSample} per model`
}
