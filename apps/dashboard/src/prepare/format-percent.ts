import { NO_VALUE } from './placeholders'

/**
 * Formats a share (0..1) as a percentage with one decimal (`12.5%`); a share under 0.1% but
 * above zero reads `<0.1%`, so a little never reads as nothing. `null` (no total to divide by)
 * reads `—`.
 */
export function formatPercent(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return NO_VALUE
  if (share > 0 && share < 0.001) return '<0.1%'
  return `${(share * 100).toFixed(1)}%`
}

/** A signed relative change (`+12.5%`, `-3.0%`); null reads `—`. */
export function formatChange(share: number | null | undefined): string {
  if (share === null || share === undefined || !Number.isFinite(share)) return NO_VALUE
  const text = formatPercent(Math.abs(share))
  return share > 0 ? `+${text}` : share < 0 ? `-${text}` : text
}

/** A signed amount of USD for a change (`+$0.0050`), built on `formatUsd`. */
export function signed(text: string, value: number): string {
  return value > 0 ? `+${text}` : text
}
