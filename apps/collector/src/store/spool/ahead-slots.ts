import fs from 'node:fs'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import { AheadSlotWorker } from './ahead-slot-worker'

/**
 * Write-ahead entries live in slots: files that are written over in place from one entry to
 * the next, rather than one new file per entry. A new file costs the file system an inode and
 * blocks, a rename and a directory fsync, and each of those a journal commit, which waits for
 * whatever the engine wrote meanwhile (its parts): 5 ms at the median, tens to hundreds of ms
 * beside a running insert, and 0.7 ms of kernel CPU. An entry written over blocks that already
 * hold data changes no metadata, so its fdatasync is the data and a cache flush (0.3 to 0.8 ms
 * here), and waits for no one's journal.
 *
 * A slot starts with a 128-byte header: `AMAHEAD1`, the entry's sequence number (uint64 LE),
 * the length of its data and the CRC-32 of the data (uint32 LE each), the owner's length and
 * name (up to 64 bytes), and the CRC-32 of the header's first 124 bytes in its last 4. The data
 * follows; a slot may be longer than its entry (what an earlier, longer entry left). A write is
 * not atomic, so an entry counts only when both checksums match: a write torn by a crash was
 * never acknowledged. When an entry's insert returns, its header's magic is zeroed (without a
 * sync: a clearing lost in a crash replays a stored entry, which counts once) and the slot is
 * kept for the next entry, up to `MAX_FREE_BYTES` of free slots; the rest are deleted.
 */
export const SLOT_FILE = /^ahead-(\d{1,9})\.slot$/

const HEADER_BYTES = 128
const MAGIC = Buffer.from('AMAHEAD1', 'latin1')
/** Free slots kept for reuse, at most, in bytes on disk (beside the spool's budget). */
const MAX_FREE_BYTES = 64 * 1024 * 1024

/** An entry read back from a slot: its sequence number, owner and data. */
export interface AheadSlotEntry {
  seq: number
  owner: string
  data: Buffer
}

/** The slot's entry, or null when it holds none (cleared, torn, or not a slot). */
export function readAheadSlot(file: string): AheadSlotEntry | null {
  const bytes = fs.readFileSync(file)
  if (bytes.length < HEADER_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return null
  const head = bytes.subarray(0, HEADER_BYTES)
  if (crc32(head.subarray(0, HEADER_BYTES - 4)) !== head.readUInt32LE(HEADER_BYTES - 4)) {
    return null
  }
  const length = head.readUInt32LE(16)
  const data = bytes.subarray(HEADER_BYTES, HEADER_BYTES + length)
  if (data.length !== length || crc32(data) !== head.readUInt32LE(20)) return null
  const owner = head.subarray(25, 25 + head.readUInt8(24)).toString('latin1')
  return { seq: Number(head.readBigUInt64LE(8)), owner, data }
}

/** The slots of one spool directory, handed out to entries and taken back when they settle. */
export class AheadSlots {
  private readonly worker = new AheadSlotWorker()
  private readonly free: string[] = []
  private freeBytes = 0
  /** Bytes on disk of every slot this process made and has not deleted. */
  private readonly sizes = new Map<string, number>()
  private readonly inUse = new Set<string>()
  private next = 0

  constructor(private readonly dir: string) {}

  /** Writes the entry durably to a slot; resolves with the slot's file once it is. */
  async write(seq: number, owner: string, data: Buffer): Promise<string> {
    const reused = this.free.pop()
    if (reused !== undefined) this.freeBytes -= this.sizes.get(reused) ?? 0
    const slot = reused ?? path.join(this.dir, `ahead-${this.next++}.slot`)
    this.inUse.add(slot)
    try {
      await this.worker.write(slot, reused === undefined, seq, owner, data)
    } catch (err) {
      // What the slot holds now is unknown: it is not used again.
      this.forget(slot)
      fs.rmSync(slot, { force: true })
      throw err
    }
    this.sizes.set(slot, Math.max(this.sizes.get(slot) ?? 0, HEADER_BYTES + data.byteLength))
    return slot
  }

  /**
   * The slot's entry was stored: the slot is cleared and kept for reuse, or deleted when the
   * free slots take `MAX_FREE_BYTES` already (rare: entries of many MB; done here, so that
   * none is left behind by a stop).
   */
  release(slot: string): void {
    this.inUse.delete(slot)
    const size = this.sizes.get(slot) ?? 0
    if (this.freeBytes + size <= MAX_FREE_BYTES) {
      this.worker.clear(slot)
      this.free.push(slot)
      this.freeBytes += size
      return
    }
    this.forget(slot)
    fs.rmSync(slot, { force: true })
  }

  /** Copies the slot's entry durably to `target` (a spool entry's file) and deletes the slot. */
  async adopt(slot: string, target: string): Promise<void> {
    await this.worker.adopt(slot, target)
    this.forget(slot)
  }

  /**
   * Stops the worker and deletes the slots without an entry waiting for its insert; the others
   * stay, to be replayed at the next start.
   */
  close(): void {
    this.worker.close()
    for (const slot of this.sizes.keys()) {
      if (!this.inUse.has(slot)) fs.rmSync(slot, { force: true })
    }
    this.sizes.clear()
    this.free.length = 0
  }

  private forget(slot: string): void {
    this.inUse.delete(slot)
    this.sizes.delete(slot)
  }
}
