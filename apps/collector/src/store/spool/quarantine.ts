import fs from 'node:fs'
import path from 'node:path'
import { clickHouseErrorFields } from '../clickhouse-error'

/** Why a spooled batch was set aside, as written beside it in `<entry>.error.json`. */
export interface QuarantineRecord {
  /** The entry's file name in the quarantine directory. */
  file: string
  seq: number
  owner: string
  bytes: number
  spans: number
  /** Replay attempts that ClickHouse refused before the batch was set aside. */
  attempts: number
  quarantinedAt: string
  error: { code?: string; type?: string; name?: string; message: string }
}

export const QUARANTINE_DIR = 'quarantine'
const ENTRY_FILE = /^(\d{12})\.([\w-]{1,64})\.spool$/
const ERROR_SUFFIX = '.error.json'
/** ClickHouse quotes the refused input in its message; a bounded excerpt is enough to act on. */
const MAX_MESSAGE_CHARS = 2_000

/**
 * The spool's quarantine: batches that ClickHouse refused for their content (not for being
 * unreachable), moved out of the replay order so the batches behind them drain. Each keeps its
 * spool file unchanged, with a `.error.json` beside it saying what was refused and when, and
 * stays until an operator re-drives it (`Spool.redrive`, `pnpm agentmeter spool redrive`).
 * The files live under the spool directory and its lock, and are readable by the owner only:
 * they hold span data, and the error message may quote it (which is why it is never logged).
 */
export class Quarantine {
  private sizes = new Map<string, number>()

  private constructor(readonly dir: string) {}

  static open(spoolDir: string): Quarantine {
    // Made on the first batch set aside: most spools never need one.
    const dir = path.join(spoolDir, QUARANTINE_DIR)
    const quarantine = new Quarantine(dir)
    if (!fs.existsSync(dir)) return quarantine
    for (const name of fs.readdirSync(dir)) {
      // An error record whose write a crash interrupted: its entry is still in the spool.
      if (name.startsWith('.tmp-')) fs.rmSync(path.join(dir, name), { force: true })
      else if (ENTRY_FILE.test(name))
        quarantine.sizes.set(name, fs.statSync(path.join(dir, name)).size)
    }
    return quarantine
  }

  get batches(): number {
    return this.sizes.size
  }

  /** The highest sequence number here, so new spool entries never reuse a quarantined name. */
  maxSeq(): number {
    let max = 0
    for (const file of this.sizes.keys()) max = Math.max(max, Number(ENTRY_FILE.exec(file)![1]))
    return max
  }

  get bytes(): number {
    let total = 0
    for (const size of this.sizes.values()) total += size
    return total
  }

  /**
   * Moves a spool file here, durably: the error record first (so a quarantined entry is never
   * without its reason), then the entry, then both directories are fsynced. A crash in between
   * leaves either the entry in the spool (replayed, and refused, again) or here.
   */
  async add(
    entry: { seq: number; owner: string; bytes: number; file: string },
    spans: number,
    attempts: number,
    err: unknown,
  ): Promise<QuarantineRecord> {
    const file = path.basename(entry.file)
    const message = err instanceof Error ? err.message : String(err)
    const record: QuarantineRecord = {
      file,
      seq: entry.seq,
      owner: entry.owner,
      bytes: entry.bytes,
      spans,
      attempts,
      quarantinedAt: new Date().toISOString(),
      error: { ...clickHouseErrorFields(err), message: message.slice(0, MAX_MESSAGE_CHARS) },
    }
    await fs.promises.mkdir(this.dir, { recursive: true, mode: 0o700 })
    const errorFile = path.join(this.dir, file + ERROR_SUFFIX)
    const tmp = path.join(this.dir, `.tmp-${file}${ERROR_SUFFIX}`)
    const handle = await fs.promises.open(tmp, 'w', 0o600)
    try {
      await handle.writeFile(JSON.stringify(record, null, 2) + '\n')
      await handle.sync()
    } finally {
      await handle.close()
    }
    await fs.promises.rename(tmp, errorFile)
    await fs.promises.rename(entry.file, path.join(this.dir, file))
    await syncDir(this.dir)
    await syncDir(path.dirname(entry.file))
    this.sizes.set(file, entry.bytes)
    return record
  }

  /** The quarantined batches, oldest first, with their reasons. */
  async list(): Promise<QuarantineRecord[]> {
    const records: QuarantineRecord[] = []
    for (const file of [...this.sizes.keys()].sort()) {
      const text = await fs.promises
        .readFile(path.join(this.dir, file + ERROR_SUFFIX), 'utf8')
        .catch(() => null)
      records.push(text === null ? unrecorded(file, this.sizes.get(file)!) : JSON.parse(text))
    }
    return records
  }

  /** Hands every quarantined file to `move` (oldest first) and forgets it and its record. */
  async release(
    move: (file: string, owner: string, bytes: number) => Promise<void>,
  ): Promise<number> {
    let released = 0
    for (const file of [...this.sizes.keys()].sort()) {
      const owner = ENTRY_FILE.exec(file)![2]!
      await move(path.join(this.dir, file), owner, this.sizes.get(file)!)
      this.sizes.delete(file)
      await fs.promises.rm(path.join(this.dir, file + ERROR_SUFFIX), { force: true })
      released += 1
    }
    if (released > 0) await syncDir(this.dir)
    return released
  }
}

/** A quarantined file whose record is missing (removed by hand): listed all the same. */
function unrecorded(file: string, bytes: number): QuarantineRecord {
  const match = ENTRY_FILE.exec(file)!
  return {
    file,
    seq: Number(match[1]),
    owner: match[2]!,
    bytes,
    spans: 0,
    attempts: 0,
    quarantinedAt: '',
    error: { message: 'no error record beside this file' },
  }
}

export async function syncDir(dir: string): Promise<void> {
  const handle = await fs.promises.open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
