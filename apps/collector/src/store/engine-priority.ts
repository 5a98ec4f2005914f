import fs from 'node:fs'
import os from 'node:os'

/** How often new threads of the engine are looked for (its pools start threads as they go). */
const SCAN_MILLIS = 1000

/**
 * Lowers the scheduling priority of the embedded engine's own threads (its insert, merge and
 * background pools) to `niceness`, best effort, so that on a machine with few cores the event
 * loop, V8's helpers and the write-ahead thread win the CPU whenever they have work, and an
 * insert parsing thousands of rows on every core runs in what is left. Without it, an
 * acknowledgement waited for a core while an insert ran, and that wait made the ack tail at
 * half load.
 *
 * Linux only: there a thread id passed to `setpriority` names that one thread, and the engine
 * names its threads (`ThreadPool`, `MergeMutate`, ...), while Node's own threads keep the
 * process's name. Threads the engine starts from one already lowered inherit its priority; the
 * others are found by a look at `/proc/self/task` every second. Lowering one's own priority
 * needs no privilege; a thread that ended meanwhile, or any other failure, is skipped. Elsewhere,
 * or with `niceness` 0, it does nothing. Returns a function that stops the looking.
 */
export function lowerEngineThreadPriority(niceness: number): () => void {
  if (process.platform !== 'linux' || niceness <= 0) return () => {}
  const own = new Set(['node', threadName(String(process.pid))])
  let lowered = new Set<string>()
  const scan = () => {
    let tasks: string[]
    try {
      tasks = fs.readdirSync('/proc/self/task')
    } catch {
      return
    }
    const alive = new Set<string>()
    for (const task of tasks) {
      if (lowered.has(task)) {
        alive.add(task)
        continue
      }
      // Node's threads are looked at again: a thread the engine just started may not have
      // taken its name yet.
      const name = threadName(task)
      if (name === null || own.has(name)) continue
      try {
        os.setPriority(Number(task), niceness)
        alive.add(task)
      } catch {
        // The thread ended since the listing, or the system refused: it runs as it was.
      }
    }
    // Only threads alive now: the ids of ended threads may be given to new ones.
    lowered = alive
  }
  scan()
  const timer = setInterval(scan, SCAN_MILLIS)
  timer.unref()
  return () => clearInterval(timer)
}

function threadName(task: string): string | null {
  try {
    return fs.readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim()
  } catch {
    return null
  }
}
