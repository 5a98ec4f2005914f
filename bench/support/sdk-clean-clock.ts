/**
 * Wall time that is CPU time of the main thread: a stretch during which the thread was never
 * switched out. Node 20 has no per-thread CPU clock (`process.cpuUsage()` sums every thread,
 * and V8's concurrent sweepers and compilers run beside the measured code: last session's bench
 * saw ~1 ms of their CPU per 0.3 ms call), and Linux updates a thread's run time in
 * `/proc/self/task/<tid>/schedstat` only at scheduler ticks. But its third field, the number of
 * times the thread was put on a CPU, is exact: when it is the same before and after a stretch,
 * the thread ran all of it without a switch, and the stretch's wall time is its own CPU time. On
 * a machine without that file every stretch counts as clean, and the bench says so.
 */

import { readFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'

const SCHEDSTAT = `/proc/self/task/${process.pid}/schedstat`

function timesScheduled(): number {
  try {
    const fields = readFileSync(SCHEDSTAT, 'latin1').split(' ')
    return Number(fields[2])
  } catch {
    return Number.NaN
  }
}

/** Whether stretches can be checked for switches here (Linux), or every one counts as clean. */
export const SWITCHES_SEEN = Number.isFinite(timesScheduled())

export interface Stretch {
  /** Wall time, in microseconds. */
  micros: number
  /** No switch of the main thread inside: `micros` is its CPU time. */
  clean: boolean
}

/** Starts a stretch; `stop()` ends it. The reads of the counter lie outside the timed span. */
export function startStretch(): { stop(): Stretch } {
  const scheduled = timesScheduled()
  const started = performance.now()
  return {
    stop() {
      const micros = (performance.now() - started) * 1000
      const clean = !SWITCHES_SEEN || timesScheduled() === scheduled
      return { micros, clean }
    },
  }
}
