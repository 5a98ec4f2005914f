import { Worker } from 'node:worker_threads'

/**
 * Durable file writes on a thread of their own, for the write-ahead entries. Every chDB call in
 * flight (each insert lane, API reads, rollup refreshes, alert checks) holds one of libuv's
 * pool threads until it returns, and the pool is where `fs.promises` runs: with its default 4
 * threads, a write-ahead fsync waited behind whole inserts (a 1 ms file read took 956 ms beside
 * four running chDB queries). The pool's size cannot be raised from inside the process once a
 * loader (tsx) has started it, so this worker makes the system calls itself, synchronously.
 *
 * Files that arrive while the worker is busy are written together and share one fsync of the
 * directory (group commit); each file is fsynced before its rename, so a name in the directory
 * always holds the whole file.
 */
export class FileSyncWorker {
  private worker: Worker | null = null
  private nextId = 1
  private readonly waiting = new Map<
    number,
    { resolve: () => void; reject: (err: Error) => void }
  >()

  constructor(private readonly dir: string) {}

  /** Writes `data` to `<dir>/<name>` via a temporary file; resolves once it is durable. */
  write(name: string, data: Buffer): Promise<void> {
    const worker = this.start()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      worker.postMessage({ id, dir: this.dir, name, data })
    })
  }

  close(): void {
    void this.worker?.terminate()
    this.worker = null
  }

  private start(): Worker {
    if (this.worker) return this.worker
    const worker = new Worker(WORKER_SOURCE, { eval: true })
    // The collector's shutdown does not wait on an idle writer.
    worker.unref()
    worker.on('message', (reply: { ids: number[]; error?: string }) => {
      for (const id of reply.ids) {
        const waiter = this.waiting.get(id)
        this.waiting.delete(id)
        if (reply.error === undefined) waiter?.resolve()
        else waiter?.reject(new Error(reply.error))
      }
    })
    const fail = (err: Error) => {
      if (this.worker === worker) this.worker = null
      for (const waiter of this.waiting.values()) waiter.reject(err)
      this.waiting.clear()
    }
    worker.on('error', fail)
    worker.on('exit', (code) => fail(new Error(`the file sync worker exited (${code})`)))
    this.worker = worker
    return worker
  }
}

// Plain JavaScript (an eval worker gets no TypeScript loader). A batch of files is written and
// fsynced one by one, renamed, then the directory is fsynced once for all of them.
const WORKER_SOURCE = `
const fs = require('node:fs')
const path = require('node:path')
const { parentPort } = require('node:worker_threads')
let queue = []
parentPort.on('message', (job) => {
  queue.push(job)
  if (queue.length === 1) setImmediate(flush)
})
function writeAll(fd, data) {
  for (let at = 0; at < data.length; ) at += fs.writeSync(fd, data, at, data.length - at)
}
function writeFile(job) {
  const tmp = path.join(job.dir, '.tmp-' + job.name)
  const fd = fs.openSync(tmp, 'w')
  try {
    writeAll(fd, job.data)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(tmp, path.join(job.dir, job.name))
}
function flush() {
  const jobs = queue
  queue = []
  const written = []
  for (const job of jobs) {
    try {
      writeFile(job)
      written.push(job)
    } catch (err) {
      parentPort.postMessage({ ids: [job.id], error: String((err && err.message) || err) })
    }
  }
  if (written.length === 0) return
  try {
    const fd = fs.openSync(written[0].dir, 'r')
    try {
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    parentPort.postMessage({ ids: written.map((job) => job.id) })
  } catch (err) {
    parentPort.postMessage({ ids: written.map((job) => job.id), error: String((err && err.message) || err) })
  }
}
`
