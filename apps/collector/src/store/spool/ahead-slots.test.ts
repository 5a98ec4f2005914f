import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readAheadSlot } from './ahead-slots'
import { Spool } from './spool'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-slots-'))

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

async function waitFor(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

function slotsOf(spoolDir: string): string[] {
  return fs
    .readdirSync(spoolDir)
    .filter((name) => name.endsWith('.slot'))
    .sort()
}

/** A batch's bytes as the spool gets them: `lines` rows of `width` characters. */
function batch(tag: string, lines: number, width = 100): Buffer {
  const line = `${tag}:`.padEnd(width, tag.slice(0, 1))
  return Buffer.from(`${Array.from({ length: lines }, () => line).join('\n')}\n`)
}

describe('write-ahead slots', () => {
  it('should write over a released slot, and read back each entry whole', async () => {
    const spoolDir = path.join(dir, 'reuse')
    const spool = Spool.open(spoolDir)
    const long = await spool.logAhead('am_a', batch('long', 400))
    expect(slotsOf(spoolDir)).toEqual(['ahead-0.slot'])
    expect(readAheadSlot(long.file)).toEqual({ seq: 1, owner: 'am_a', data: batch('long', 400) })

    await spool.release(long)
    // Written over in place: the same file, the shorter entry within the longer one's bytes.
    const short = await spool.logAhead('am_b', batch('short', 3))
    expect(short.file).toBe(long.file)
    expect(slotsOf(spoolDir)).toEqual(['ahead-0.slot'])
    expect(readAheadSlot(short.file)).toEqual({ seq: 2, owner: 'am_b', data: batch('short', 3) })
    // A second entry while the first waits for its insert takes a slot of its own.
    const other = await spool.logAhead('am_b', batch('other', 5))
    expect(slotsOf(spoolDir)).toEqual(['ahead-0.slot', 'ahead-1.slot'])
    expect(spool.aheadBytes).toBe(batch('short', 3).length + batch('other', 5).length)

    await spool.release(short)
    await spool.release(other)
    expect(spool.aheadBytes).toBe(0)
    spool.close()
    // A stop deletes the free slots.
    expect(slotsOf(spoolDir)).toEqual([])
  })

  it('should replay at the next open only whole entries not cleared, in sequence order', async () => {
    const spoolDir = path.join(dir, 'leftovers')
    const spool = Spool.open(spoolDir)
    const first = await spool.logAhead('am_c', batch('first', 20))
    const cleared = await spool.logAhead('am_c', batch('cleared', 20))
    const torn = await spool.logAhead('am_c', batch('torn', 20))
    const last = await spool.logAhead('am_d', batch('last', 20))
    await spool.release(cleared)
    await waitFor(() => readAheadSlot(cleared.file) === null)
    // A crash in the middle of a write: part of its data never reached the disk.
    const bytes = fs.readFileSync(torn.file)
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 10) ^ 0xff, bytes.length - 10)
    fs.writeFileSync(torn.file, bytes)
    expect(readAheadSlot(torn.file)).toBeNull()
    spool.close() // a kill -9 leaves the slots of the entries still waiting for their inserts
    expect(slotsOf(spoolDir)).toHaveLength(3)

    const reopened = Spool.open(spoolDir)
    expect(slotsOf(spoolDir)).toEqual([])
    expect(reopened.batches).toBe(2)
    expect(reopened.headSeq()).toBe(first.seq)
    const spooled = fs.readdirSync(spoolDir).filter((name) => name.endsWith('.spool'))
    expect(spooled.sort()).toEqual(['000000000001.am_c.spool', '000000000004.am_d.spool'])
    expect(spooled.map((name) => fs.readFileSync(path.join(spoolDir, name)))).toEqual([
      batch('first', 20),
      batch('last', 20),
    ])
    // New entries take sequence numbers after the replayed ones.
    const next = await reopened.logAhead('am_c', batch('next', 1))
    expect(next.seq).toBeGreaterThan(last.seq)
    await reopened.release(next)
    reopened.close()
  })

  it('should replay once an entry whose adoption a crash cut between its copy and the delete', async () => {
    const spoolDir = path.join(dir, 'adopt-cut')
    const spool = Spool.open(spoolDir)
    const entry = await spool.logAhead('am_f', batch('cut', 10))
    spool.close()
    // What the adoption had done: the copy durable under the entry's spool name.
    fs.writeFileSync(path.join(spoolDir, '000000000001.am_f.spool'), batch('cut', 10))
    expect(readAheadSlot(entry.file)?.seq).toBe(1)

    const reopened = Spool.open(spoolDir)
    expect(reopened.batches).toBe(1)
    expect(reopened.bytes).toBe(batch('cut', 10).length)
    expect(slotsOf(spoolDir)).toEqual([])
    reopened.close()
  })

  it('should adopt an entry into the replay order as its own bytes, and delete its slot', async () => {
    const spoolDir = path.join(dir, 'adopt')
    const spool = Spool.open(spoolDir)
    const entry = await spool.logAhead('am_e', batch('adopted', 50))
    const adopted = await spool.adopt(entry)
    expect(slotsOf(spoolDir)).toEqual([])
    expect(path.basename(adopted.file)).toBe('000000000001.am_e.spool')
    expect(fs.readFileSync(adopted.file)).toEqual(batch('adopted', 50))
    expect(spool.batches).toBe(1)
    expect(spool.aheadBytes).toBe(0)
    spool.close()
  })
})
