import { UNKNOWN } from './placeholders'

const COUNT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })

/** Formats a token count with thousands separators (`12,345`); `null` reads `unknown`. */
export function formatTokens(tokens: number | null | undefined): string {
  if (tokens === null || tokens === undefined || Number.isNaN(tokens)) return UNKNOWN
  return COUNT.format(tokens)
}

/** Formats any whole count (tasks, calls) with thousands separators. */
export function formatCount(count: number): string {
  return COUNT.format(count)
}
