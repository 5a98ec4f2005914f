/**
 * CPU time of this process's threads grouped by thread name, from Linux's /proc (elsewhere
 * empty): which part of an ingest run costs what, the engine's threads included ("libuv-worker"
 * runs the engine's calls and file work, the engine's own pools have their own names, "node"
 * is the event loop). Used to tell the collector's cost per span from the engine's.
 */

import fs from 'node:fs'

const TICKS_PER_SECOND = 100

export type ThreadCpu = Map<string, number>

/** CPU seconds so far per thread name (threads that exited are not counted). */
export function threadCpu(): ThreadCpu {
  const byName: ThreadCpu = new Map()
  let tasks: string[]
  try {
    tasks = fs.readdirSync('/proc/self/task')
  } catch {
    return byName
  }
  for (const task of tasks) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${task}/stat`, 'utf8')
      // The name is in parentheses and may hold spaces; utime and stime are fields 14 and 15.
      const close = stat.lastIndexOf(')')
      // The event loop apart from Node's other threads (workers, libuv's pool), which share
      // its name.
      const name =
        task === String(process.pid)
          ? 'event loop'
          : stat.slice(stat.indexOf('(') + 1, close).replace(/[\d]+$/, '')
      const fields = stat.slice(close + 2).split(' ')
      const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
      byName.set(name, (byName.get(name) ?? 0) + seconds)
    } catch {
      // The thread exited between the listing and the read.
    }
  }
  return byName
}

/** Microseconds per unit of work by thread name between two snapshots, largest first. */
export function threadCpuPer(before: ThreadCpu, after: ThreadCpu, units: number) {
  const rows: { thread: string; micros: number }[] = []
  for (const [name, seconds] of after) {
    const spent = seconds - (before.get(name) ?? 0)
    if (spent > 0 && units > 0) rows.push({ thread: name, micros: (spent * 1e6) / units })
  }
  return rows.sort((a, b) => b.micros - a.micros)
}
