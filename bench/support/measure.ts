/** Timing helpers shared by the benchmark suites. */

import { performance } from 'node:perf_hooks'

export interface Sample {
  /** Median wall time of one run, in milliseconds. */
  medianMs: number
  runs: number
}

/**
 * Runs `work` repeatedly for about `budgetMs` after a warm-up of a fifth of that, in batches,
 * and returns the median time of one run: the median resists the pauses of a shared machine.
 */
export function measure(work: () => void, budgetMs: number): Sample {
  const warmUntil = performance.now() + budgetMs / 5
  while (performance.now() < warmUntil) work()

  const times: number[] = []
  const stopAt = performance.now() + budgetMs
  while (performance.now() < stopAt || times.length < 5) {
    const start = performance.now()
    work()
    times.push(performance.now() - start)
  }
  times.sort((a, b) => a - b)
  return { medianMs: times[Math.floor(times.length / 2)]!, runs: times.length }
}

/** Prints rows as an aligned text table, first row the header. */
export function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  for (const [index, row] of rows.entries()) {
    console.log(row.map((cell, column) => cell.padStart(widths[column]!)).join('  '))
    if (index === 0) console.log(widths.map((width) => '-'.repeat(width)).join('  '))
  }
}
