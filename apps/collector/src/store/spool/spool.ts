import fs from 'node:fs'
import path from 'node:path'
import type { EncodedRows } from '../insert-spans'
import type { SpanRecord } from '../span-record'
import { AheadSlots, readAheadSlot, SLOT_FILE } from './ahead-slots'
import { Quarantine, type QuarantineRecord } from './quarantine'
import { acquireSpoolLock, type SpoolLock } from './spool-lock'

/** One spooled batch: the rows of one acknowledged request, in one fsynced file. */
export interface SpoolEntry {
  seq: number
  /** Who sent it (an API key's public prefix), for the per-key share of the budget. */
  owner: string
  bytes: number
  file: string
}

/** The head of the spool as read for replay; `unreadable` when its first file does not parse. */
export interface SpoolHead {
  entries: SpoolEntry[]
  records: SpanRecord[]
  unreadable?: { entry: SpoolEntry; err: unknown }
}

const ENTRY_FILE = /^(\d{12})\.([\w-]{1,64})\.spool$/
/** A write-ahead entry of an earlier version, one file each (now they live in slots). */
const AHEAD_FILE = /^(\d{12})\.([\w-]{1,64})\.wal$/
const TMP_PREFIX = '.tmp-'
/** First field of a compact entry's header line (see `encodeCompact`). */
const COMPACT_HEADER = 'agentmeter-columns'

/**
 * The local write-ahead spool of span batches that ClickHouse could not take. Each batch is
 * written to a temporary file, fsynced, renamed into place and the directory fsynced, so an
 * entry either exists whole after a crash or not at all (a torn temporary file was never
 * acknowledged and is removed on open). Entries are named by a sequence number and replayed in
 * that order. One file per batch keeps this simple: no framing, no cursor file, and removing a
 * replayed batch is one unlink. Batches acknowledged while their insert runs (write-ahead) are
 * written to reused slots instead (see ahead-slots.ts) and join the replay order only when
 * their insert fails or a crash leaves them.
 */
export class Spool {
  private entries: SpoolEntry[] = []
  private nextSeq = 1
  private totalBytes = 0
  private ownerBytes = new Map<string, number>()
  /** Write-ahead entries whose insert is still running: on disk, outside the replay order. */
  private ahead = new Map<number, SpoolEntry>()
  private aheadTotal = 0
  /** Where write-ahead entries are written, off libuv's pool (see ahead-slots.ts). */
  private readonly slots: AheadSlots
  private runningSync: Promise<void> | null = null
  private queuedSync: Promise<void> | null = null

  private constructor(
    readonly dir: string,
    private readonly lock: SpoolLock,
    /** Batches ClickHouse refused for their content; outside the budget and the replay order. */
    readonly quarantine: Quarantine,
  ) {
    this.slots = new AheadSlots(dir)
  }

  /** Opens (creating) the spool directory, takes its lock, and indexes the entries on disk. */
  static open(dir: string): Spool {
    fs.mkdirSync(dir, { recursive: true })
    const lock = acquireSpoolLock(dir)
    const spool = new Spool(dir, lock, Quarantine.open(dir))
    const slots: string[] = []
    for (const name of fs.readdirSync(dir).sort()) {
      if (name.startsWith(TMP_PREFIX)) {
        fs.rmSync(path.join(dir, name), { force: true })
        continue
      }
      if (SLOT_FILE.test(name)) {
        slots.push(path.join(dir, name))
        continue
      }
      let file = path.join(dir, name)
      const ahead = AHEAD_FILE.exec(name)
      if (ahead) {
        // Its insert may or may not have been acknowledged before the process ended: it joins
        // the replay at its place in arrival order, and a second insert is counted once.
        file = path.join(dir, entryName(Number(ahead[1]), ahead[2]!))
        fs.renameSync(path.join(dir, name), file)
      }
      const match = ENTRY_FILE.exec(path.basename(file))
      if (!match) continue
      const bytes = fs.statSync(file).size
      spool.index({ seq: Number(match[1]), owner: match[2]!, bytes, file })
    }
    spool.adoptLeftoverSlots(slots)
    spool.nextSeq = Math.max(spool.nextSeq, spool.quarantine.maxSeq() + 1)
    return spool
  }

  /**
   * Write-ahead entries a previous process left in their slots (it stopped before their
   * inserts returned, or before it cleared them): their inserts may or may not have been
   * acknowledged, so each joins the replay at its place in arrival order, as a spool entry
   * written durably before its slot is deleted; a second insert is counted once.
   */
  private adoptLeftoverSlots(slots: string[]): void {
    const adopted: SpoolEntry[] = []
    for (const slot of slots) {
      const entry = readAheadSlot(slot)
      // Already copied into the spool by an adoption the crash interrupted before the delete.
      if (!entry || this.entries.some((kept) => kept.seq === entry.seq)) continue
      const file = path.join(this.dir, entryName(entry.seq, safeOwner(entry.owner)))
      const tmp = path.join(this.dir, `${TMP_PREFIX}${path.basename(file)}`)
      const fd = fs.openSync(tmp, 'w')
      try {
        fs.writeFileSync(fd, entry.data)
        fs.fsyncSync(fd)
      } finally {
        fs.closeSync(fd)
      }
      fs.renameSync(tmp, file)
      adopted.push({
        seq: entry.seq,
        owner: safeOwner(entry.owner),
        bytes: entry.data.length,
        file,
      })
    }
    if (adopted.length > 0) {
      const dirFd = fs.openSync(this.dir, 'r')
      try {
        fs.fsyncSync(dirFd)
      } finally {
        fs.closeSync(dirFd)
      }
    }
    for (const entry of adopted) this.index(entry)
    for (const slot of slots) fs.rmSync(slot, { force: true })
  }

  get batches(): number {
    return this.entries.length
  }

  get bytes(): number {
    return this.totalBytes
  }

  /** Bytes of the write-ahead entries not yet released or adopted. */
  get aheadBytes(): number {
    return this.aheadTotal
  }

  bytesOf(owner: string): number {
    return this.ownerBytes.get(safeOwner(owner)) ?? 0
  }

  /** The size a batch takes in the spool, to check it against the budget before writing. */
  static encode(records: SpanRecord[]): Buffer {
    return Buffer.from(records.map((record) => JSON.stringify(record)).join('\n') + '\n')
  }

  /**
   * A batch in the compact form: a header line naming the columns, then the rows as the span
   * writer already serialized them for its insert (JSONCompactEachRow), so that writing a batch
   * ahead costs no second serialization of its rows.
   */
  static encodeCompact(encoded: EncodedRows): Buffer {
    const header = Buffer.from(`${JSON.stringify([COMPACT_HEADER, ...encoded.columns])}\n`)
    return Buffer.concat([header, encoded.lines])
  }

  /** Writes a batch durably; resolves once it would survive a crash of the process or the OS. */
  async append(owner: string, data: Buffer): Promise<SpoolEntry> {
    const seq = this.nextSeq++
    const file = await this.writeDurably(entryName(seq, safeOwner(owner)), data)
    const entry = { seq, owner: safeOwner(owner), bytes: data.byteLength, file }
    this.index(entry)
    return entry
  }

  /**
   * Writes the batch of a request whose insert is running, as durably as `append`, under the
   * next sequence number but outside the replay order: the insert in flight is expected to store
   * it. It goes to a write-ahead slot (see ahead-slots.ts), and `data` must not be used after
   * the call. Once the insert stores it, `release` frees the slot; should the insert fail,
   * `adopt` puts the entry in the replay order at its place of arrival. Left over by a crash,
   * it is replayed at the next open.
   */
  async logAhead(owner: string, data: Buffer): Promise<SpoolEntry> {
    const seq = this.nextSeq++
    // Taken now: the slot's writer may take `data` over (see `AheadSlotWorker.write`).
    const bytes = data.byteLength
    const file = await this.slots.write(seq, safeOwner(owner), data)
    const entry = { seq, owner: safeOwner(owner), bytes, file }
    this.ahead.set(seq, entry)
    this.aheadTotal += entry.bytes
    return entry
  }

  /** Drops a write-ahead entry whose insert ClickHouse acknowledged. */
  async release(entry: SpoolEntry): Promise<void> {
    this.dropAhead(entry)
    this.slots.release(entry.file)
  }

  /** Puts a write-ahead entry whose insert failed into the replay order, at its sequence. */
  async adopt(entry: SpoolEntry): Promise<SpoolEntry> {
    this.dropAhead(entry)
    const file = path.join(this.dir, entryName(entry.seq, entry.owner))
    // Its slot is deleted only once the copy is durable: either is replayed after a crash.
    await this.slots.adopt(entry.file, file)
    const adopted = { ...entry, file }
    this.index(adopted)
    return adopted
  }

  /**
   * The oldest entries, in order, up to about `maxRows` rows (always at least one entry). A file
   * that does not parse (damaged on disk: appends are atomic, so never torn) ends the head
   * before it, or, when it is first, comes back as `unreadable` for the caller to set aside.
   */
  async readHead(maxRows: number): Promise<SpoolHead> {
    const entries: SpoolEntry[] = []
    const records: SpanRecord[] = []
    for (const entry of this.entries) {
      if (entries.length > 0 && records.length >= maxRows) break
      let parsed: SpanRecord[]
      try {
        parsed = decodeEntry(await fs.promises.readFile(entry.file, 'utf8'))
      } catch (err) {
        if (entries.length === 0) return { entries, records, unreadable: { entry, err } }
        break
      }
      records.push(...parsed)
      entries.push(entry)
    }
    return { entries, records }
  }

  /** Moves an entry to the quarantine with the reason; the entries behind it replay on. */
  async setAside(
    entry: SpoolEntry,
    spans: number,
    attempts: number,
    err: unknown,
  ): Promise<QuarantineRecord> {
    const record = await this.quarantine.add(entry, spans, attempts, err)
    this.forget(entry)
    return record
  }

  /**
   * Puts every quarantined batch back at the tail of the spool, under new sequence numbers, to
   * be replayed again (after the cause was fixed: a migration, a constraint dropped).
   */
  async redrive(): Promise<number> {
    const moved = await this.quarantine.release(async (file, owner, bytes) => {
      const seq = this.nextSeq++
      const target = path.join(this.dir, entryName(seq, owner))
      await fs.promises.rename(file, target)
      this.index({ seq, owner, bytes, file: target })
    })
    if (moved > 0) await this.syncDir()
    return moved
  }

  /** Removes replayed entries (acknowledged by ClickHouse). */
  async remove(entries: SpoolEntry[]): Promise<void> {
    for (const entry of entries) {
      await fs.promises.rm(entry.file, { force: true })
      this.forget(entry)
    }
    await this.syncDir()
  }

  /** The sequence number of the oldest entry, or null when the spool is empty. */
  headSeq(): number | null {
    return this.entries[0]?.seq ?? null
  }

  close(): void {
    this.slots.close()
    this.lock.release()
  }

  /** Temporary file, fsync, rename into place, directory fsync (shared by concurrent calls). */
  private async writeDurably(name: string, data: Buffer): Promise<string> {
    const file = path.join(this.dir, name)
    const tmp = path.join(this.dir, `${TMP_PREFIX}${name}`)
    const handle = await fs.promises.open(tmp, 'w')
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await fs.promises.rename(tmp, file)
    await this.syncDir()
    return file
  }

  private dropAhead(entry: SpoolEntry): void {
    if (this.ahead.delete(entry.seq)) this.aheadTotal -= entry.bytes
  }

  private forget(entry: SpoolEntry): void {
    this.entries = this.entries.filter((kept) => kept.seq !== entry.seq)
    this.totalBytes -= entry.bytes
    this.ownerBytes.set(entry.owner, (this.ownerBytes.get(entry.owner) ?? 0) - entry.bytes)
  }

  private index(entry: SpoolEntry): void {
    // Appends finish out of order when their fsyncs do; replay order is the sequence order.
    const at = this.entries.findIndex((kept) => kept.seq > entry.seq)
    if (at === -1) this.entries.push(entry)
    else this.entries.splice(at, 0, entry)
    this.nextSeq = Math.max(this.nextSeq, entry.seq + 1)
    this.totalBytes += entry.bytes
    this.ownerBytes.set(entry.owner, (this.ownerBytes.get(entry.owner) ?? 0) + entry.bytes)
  }

  /**
   * fsync of the directory makes the renames durable. Concurrent appends share syncs: a caller
   * that arrives while one runs joins the single next one, which starts after its rename.
   */
  private syncDir(): Promise<void> {
    if (this.queuedSync) return this.queuedSync
    if (this.runningSync) {
      this.queuedSync = this.runningSync.then(() => {
        this.queuedSync = null
        return this.runSync()
      })
      return this.queuedSync
    }
    return this.runSync()
  }

  private runSync(): Promise<void> {
    this.runningSync = (async () => {
      const handle = await fs.promises.open(this.dir, 'r')
      try {
        await handle.sync()
      } finally {
        await handle.close()
      }
    })().finally(() => {
      this.runningSync = null
    })
    return this.runningSync
  }
}

/** The rows of an entry in either form: one JSON object per line, or compact (a header first). */
function decodeEntry(text: string): SpanRecord[] {
  const lines = text.split('\n').filter((line) => line !== '')
  if (!lines[0]?.startsWith('[')) return lines.map((line) => JSON.parse(line) as SpanRecord)
  const [marker, ...columns] = JSON.parse(lines[0]) as string[]
  if (marker !== COMPACT_HEADER) throw new Error(`not a spool entry header: ${String(marker)}`)
  return lines.slice(1).map((line) => {
    const values = JSON.parse(line) as unknown[]
    if (values.length !== columns.length) {
      throw new Error(`a row of ${values.length} values under ${columns.length} columns`)
    }
    const record: SpanRecord = {}
    columns.forEach((column, index) => (record[column] = values[index]))
    return record
  })
}

function entryName(seq: number, owner: string): string {
  return `${String(seq).padStart(12, '0')}.${owner}.spool`
}

export function safeOwner(owner: string): string {
  return owner.replace(/[^\w-]/g, '_').slice(0, 64) || 'unknown'
}
