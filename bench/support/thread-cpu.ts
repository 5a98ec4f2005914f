/**
 * CPU time of this process's threads grouped by what they do, from Linux's /proc (elsewhere
 * empty): which part of an ingest run costs what, the engine's threads included. The engine
 * names its threads (`ThreadPool` parses inserts, `MergeMutate` merges parts, ...); Node's all
 * carry the process's name, `node`, so the bench tells them apart by how they came to be (see
 * `labelNodeThreads`): the event loop, V8's platform threads, the load generator, the
 * write-ahead thread, and the rest (libuv's pool, which runs the engine's calls and file work).
 */

import fs from 'node:fs'

const TICKS_PER_SECOND = 100

export type ThreadCpu = Map<string, number>

/** Labels of threads by id, for those whose name says too little. */
export type ThreadLabels = ReadonlyMap<string, string>

/** CPU seconds so far per thread label (threads that exited are not counted). */
export function threadCpu(labels: ThreadLabels = new Map()): ThreadCpu {
  const byName: ThreadCpu = new Map()
  for (const task of taskIds()) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${task}/stat`, 'utf8')
      // The name is in parentheses and may hold spaces; utime and stime are fields 14 and 15.
      const close = stat.lastIndexOf(')')
      const name =
        labels.get(task) ?? stat.slice(stat.indexOf('(') + 1, close).replace(/[\d]+$/, '')
      const fields = stat.slice(close + 2).split(' ')
      const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
      byName.set(name, (byName.get(name) ?? 0) + seconds)
    } catch {
      // The thread exited between the listing and the read.
    }
  }
  return byName
}

/** Ids of Node's own threads (named `node`) other than the main one, oldest first. */
export function nodeThreadIds(): string[] {
  return taskIds()
    .filter((task) => task !== String(process.pid) && threadName(task) === 'node')
    .sort((a, b) => Number(a) - Number(b))
}

/**
 * Labels for Node's threads. The main thread is the event loop. Node starts V8's platform
 * threads (the delayed-task scheduler, then `--v8-pool-size` workers, 4 by default: garbage
 * collection helpers and the optimizing compiler) before anything else, so they are the oldest;
 * `named` gives the ids of threads known otherwise (a worker reporting its own id); every other
 * `node` thread is libuv's pool or an idle thread of Node's.
 */
export function labelNodeThreads(named: ReadonlyMap<string, string>): Map<string, string> {
  const labels = new Map<string, string>([[String(process.pid), 'event loop']])
  const poolSize = Number(/--v8-pool-size=(\d+)/.exec(process.execArgv.join(' '))?.[1] ?? 4)
  const platform = nodeThreadIds().slice(0, poolSize + 1)
  for (const task of nodeThreadIds()) {
    labels.set(task, platform.includes(task) ? 'V8 platform' : 'libuv pool and other node')
  }
  for (const [task, label] of named) labels.set(task, label)
  return labels
}

/** Microseconds per unit of work by thread label between two snapshots, largest first. */
export function threadCpuPer(before: ThreadCpu, after: ThreadCpu, units: number) {
  const rows: { thread: string; micros: number }[] = []
  for (const [name, seconds] of after) {
    const spent = seconds - (before.get(name) ?? 0)
    if (spent > 0 && units > 0) rows.push({ thread: name, micros: (spent * 1e6) / units })
  }
  return rows.sort((a, b) => b.micros - a.micros)
}

/** The calling thread's id (Linux), for a worker to report which thread it is. */
export function ownThreadId(): string | null {
  try {
    return fs.readlinkSync('/proc/thread-self').split('/').pop() ?? null
  } catch {
    return null
  }
}

function taskIds(): string[] {
  try {
    return fs.readdirSync('/proc/self/task')
  } catch {
    return []
  }
}

function threadName(task: string): string | null {
  try {
    return fs.readFileSync(`/proc/self/task/${task}/comm`, 'utf8').trim()
  } catch {
    return null
  }
}
