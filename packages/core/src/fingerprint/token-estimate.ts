/**
 * Rough token count of serialized text (about four characters per token for English and JSON).
 * Only the shape matters: the SDK rescales the estimates so the last boundary equals the input
 * tokens the provider reported (`scaleBoundaryTokens`).
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4)
}

/**
 * Cumulative estimated tokens at each boundary, rescaled so the last equals `inputTokens`. With
 * no estimate (all zero) the estimates are returned unchanged.
 */
export function scaleBoundaryTokens(estimates: readonly number[], inputTokens: number): number[] {
  const last = estimates[estimates.length - 1] ?? 0
  if (last <= 0 || !Number.isFinite(inputTokens) || inputTokens <= 0) return [...estimates]
  return estimates.map((value) => Math.round((value * inputTokens) / last))
}
