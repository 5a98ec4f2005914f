/** Small statistics helpers shared by the benchmark suites. */

/** The p-th percentile (0..100) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]!
}

export function median(values: readonly number[]): number {
  return percentile(values, 50)
}

/** Rounds to `digits` decimals, for tables and JSON. */
export function round(value: number, digits = 2): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

/** Samples `read()` every `everyMs` until `stop()` is called, keeping the maximum. */
export function sampleMax(read: () => number, everyMs: number): { stop(): number } {
  let max = read()
  const timer = setInterval(() => {
    max = Math.max(max, read())
  }, everyMs)
  return {
    stop() {
      clearInterval(timer)
      return Math.max(max, read())
    },
  }
}
