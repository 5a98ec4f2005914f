/** One-sided z for α = 0.05 and for power 0.8. */
const Z_ALPHA = 1.6448536269514722
const Z_POWER = 0.8416212335729143

/**
 * Calls (or tasks) per arm that a non-inferiority test of two success rates needs to show that
 * the candidate's rate is no more than `margin` below the current one, at α = 0.05 one-sided
 * and power 0.8, if the true rates are `current` and `candidate`:
 * (z_α + z_β)² · (p_c·q_c + p_s·q_s) / (p_s − p_c + margin)². Null when the candidate's rate is
 * already `margin` or more below (no sample would show it holds). Rates and margin in [0, 1].
 */
export function nonInferioritySampleSize(
  current: number,
  candidate: number,
  margin: number,
): number | null {
  const gap = candidate - current + margin
  if (gap <= 0) return null
  const variance = current * (1 - current) + candidate * (1 - candidate)
  // A variance of 0 (both rates exactly 0 or 1) would claim no sample is needed; a tenth of a
  // success of spread keeps the answer finite and honest.
  const floor = Math.max(variance, 0.001)
  return Math.ceil(((Z_ALPHA + Z_POWER) ** 2 * floor) / gap ** 2)
}
