import { Worker } from 'node:worker_threads'

/**
 * The file work of write-ahead slots (see ahead-slots.ts) on a thread of its own. Every chDB
 * call in flight (each insert lane, API reads, rollup refreshes, alert checks) holds one of
 * libuv's pool threads until it returns, and the pool is where `fs.promises` runs: with its
 * default 4 threads, a write-ahead fsync waited behind whole inserts (a 1 ms file read took
 * 956 ms beside four running chDB queries). The pool's size cannot be raised from inside the
 * process once a loader (tsx) has started it, so this worker makes the system calls itself,
 * synchronously, in the order they were asked for.
 */
export class AheadSlotWorker {
  private worker: Worker | null = null
  private nextId = 1
  private readonly waiting = new Map<
    number,
    { resolve: () => void; reject: (err: Error) => void }
  >()

  /**
   * Writes the entry (header, then `data`) at the start of `slot` and fdatasyncs it; a `fresh`
   * slot is created, and the directory fsynced after it. Resolves once it is durable. `data` is
   * handed over, not copied, when it has a memory of its own (a copy took 0.1 to 0.2 ms of the
   * event loop per 250 KB entry): it must not be used afterwards.
   */
  write(slot: string, fresh: boolean, seq: number, owner: string, data: Buffer): Promise<void> {
    const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength
    const transfer = whole && data.buffer instanceof ArrayBuffer ? [data.buffer] : []
    return this.ask({ op: 'write', slot, fresh, seq, owner, data }, transfer)
  }

  /**
   * Copies the slot's entry to `target` (temporary file, fsync, rename, directory fsync), then
   * deletes the slot; rejects, leaving the slot as it is, when the entry does not read back whole.
   */
  adopt(slot: string, target: string): Promise<void> {
    return this.ask({ op: 'adopt', slot, target })
  }

  /** Marks the slot's entry void (not synced: a void lost in a crash replays a stored entry). */
  clear(slot: string): void {
    this.start().postMessage({ op: 'clear', slot })
  }

  close(): void {
    void this.worker?.terminate()
    this.worker = null
  }

  private ask(job: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<void> {
    const worker = this.start()
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject })
      worker.postMessage({ ...job, id }, transfer)
    })
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
    worker.on('exit', (code) => fail(new Error(`the write-ahead worker exited (${code})`)))
    this.worker = worker
    return worker
  }
}

// Plain JavaScript (an eval worker gets no TypeScript loader); the header's layout is the one
// `readAheadSlot` in ahead-slots.ts reads. The jobs that arrive while the worker is busy are
// done together, and the fresh slots among them share one fsync of the directory.
const WORKER_SOURCE = `
const fs = require('node:fs')
const path = require('node:path')
const { crc32 } = require('node:zlib')
const { parentPort } = require('node:worker_threads')
const HEADER_BYTES = 128
const MAGIC = Buffer.from('AMAHEAD1', 'latin1')
let queue = []
parentPort.on('message', (job) => {
  queue.push(job)
  if (queue.length === 1) setImmediate(flush)
})
function withSlot(slot, flags, work) {
  const fd = fs.openSync(slot, flags)
  try {
    return work(fd)
  } finally {
    fs.closeSync(fd)
  }
}
function writeAt(fd, data, position) {
  for (let at = 0; at < data.length; ) at += fs.writeSync(fd, data, at, data.length - at, position + at)
}
function header(job) {
  const head = Buffer.alloc(HEADER_BYTES)
  MAGIC.copy(head, 0)
  head.writeBigUInt64LE(BigInt(job.seq), 8)
  head.writeUInt32LE(job.data.length, 16)
  head.writeUInt32LE(crc32(job.data), 20)
  const owner = Buffer.from(job.owner, 'latin1')
  head.writeUInt8(owner.length, 24)
  owner.copy(head, 25)
  head.writeUInt32LE(crc32(head.subarray(0, HEADER_BYTES - 4)), HEADER_BYTES - 4)
  return head
}
function syncDir(dir) {
  const fd = fs.openSync(dir, 'r')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}
function write(job) {
  withSlot(job.slot, job.fresh ? 'w' : 'r+', (fd) => {
    writeAt(fd, header(job), 0)
    writeAt(fd, job.data, HEADER_BYTES)
    fs.fdatasyncSync(fd)
  })
}
function adopt(job) {
  const data = withSlot(job.slot, 'r', readEntry)
  const tmp = path.join(path.dirname(job.target), '.tmp-' + path.basename(job.target))
  withSlot(tmp, 'w', (out) => {
    writeAt(out, data, 0)
    fs.fsyncSync(out)
  })
  fs.renameSync(tmp, job.target)
  syncDir(path.dirname(job.target))
  fs.rmSync(job.slot, { force: true })
}
function readEntry(fd) {
  const head = Buffer.alloc(HEADER_BYTES)
  fs.readSync(fd, head, 0, HEADER_BYTES, 0)
  if (!head.subarray(0, 8).equals(MAGIC) || crc32(head.subarray(0, HEADER_BYTES - 4)) !== head.readUInt32LE(HEADER_BYTES - 4)) {
    throw new Error('the write-ahead slot holds no entry')
  }
  const data = Buffer.alloc(head.readUInt32LE(16))
  for (let at = 0; at < data.length; ) {
    const read = fs.readSync(fd, data, at, data.length - at, HEADER_BYTES + at)
    if (read === 0) throw new Error('the write-ahead slot is shorter than its entry')
    at += read
  }
  if (crc32(data) !== head.readUInt32LE(20)) throw new Error('the write-ahead entry does not match its checksum')
  return data
}
function flush() {
  const jobs = queue
  queue = []
  const written = []
  for (const job of jobs) {
    try {
      if (job.op === 'write') {
        write(job)
        written.push(job)
      } else if (job.op === 'adopt') {
        adopt(job)
        parentPort.postMessage({ ids: [job.id] })
      } else if (job.op === 'clear') {
        withSlot(job.slot, 'r+', (fd) => writeAt(fd, Buffer.alloc(8), 0))
      }
    } catch (err) {
      if (job.id !== undefined) {
        parentPort.postMessage({ ids: [job.id], error: String((err && err.message) || err) })
      }
    }
  }
  const reused = written.filter((job) => !job.fresh)
  if (reused.length > 0) parentPort.postMessage({ ids: reused.map((job) => job.id) })
  const fresh = written.filter((job) => job.fresh)
  if (fresh.length === 0) return
  try {
    syncDir(path.dirname(fresh[0].slot))
    parentPort.postMessage({ ids: fresh.map((job) => job.id) })
  } catch (err) {
    parentPort.postMessage({ ids: fresh.map((job) => job.id), error: String((err && err.message) || err) })
  }
}
`
