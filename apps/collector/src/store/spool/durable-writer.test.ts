import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { ClickHouseLogLevel, createClient } from '@clickhouse/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../logger'
import { Metrics } from '../../metrics'
import type { StoreClient } from '../client'
import type { SpanRecord } from '../span-record'
import { SpanWriter } from '../span-writer'
import { dedupToken } from '../dedup-token'
import { DurableWriter, SpoolFullError, type SpoolSettings } from './durable-writer'
import { Spool } from './spool'
import { createTestSpanRecords, openTestStore, type TestStore } from './spool-test-support'

const logger = createLogger('silent')
const SETTINGS: SpoolSettings = {
  maxBytes: 0,
  maxKeySharePercent: 60,
  shutdownMillis: 300,
  retryBaseMillis: 20,
  maxRetryMillis: 50,
}

let testStore: TestStore
let dir: string
let store: StoreClient

beforeAll(async () => {
  testStore = await openTestStore('agentmeter-spool-')
  ;({ dir, store } = testStore)
})

afterAll(async () => {
  await testStore?.close()
})

/** `count` chat spans of one trace, with span ids from `first` on. */
function createTestRecords(trace: number, first: number, count: number): SpanRecord[] {
  return createTestSpanRecords('p-spool', trace, first, count)
}

/**
 * A loopback port whose every connection is reset at once: storage that is down. The port stays
 * bound for the whole outage (a port merely closed could be taken meanwhile by another process of
 * a busy machine, which would then answer the inserts).
 */
async function unreachableStorage(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = net.createServer((socket) => socket.resetAndDestroy())
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

async function countRows(final: boolean): Promise<{ rows: number; spans: number }> {
  const result = await store.client.query({
    query: `SELECT toUInt64(count()) AS rows, toUInt64(uniqExact(trace_id, span_id)) AS spans
      FROM spans ${final ? 'FINAL' : ''} WHERE project_id = 'p-spool'`,
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ rows: string; spans: string }>()
  return { rows: Number(row!.rows), spans: Number(row!.spans) }
}

/**
 * Polls `check` until it holds. Conditions name the last step of what they wait for: a replay
 * removes its entries (the spool's count drops) and fsyncs the directory before it counts the
 * replayed spans and hands the rows on, so "the spool is empty" alone is not "the replay is done".
 * The deadline only turns a hang into a failure; it stays below the test's own timeout.
 */
async function waitFor(what: string, check: () => boolean, millis = 45_000): Promise<void> {
  const deadline = Date.now() + millis
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('DurableWriter with ClickHouse unreachable, then back', () => {
  it('should spool to the budget, refuse beyond it, and replay every batch exactly once', async () => {
    const spoolDir = path.join(dir, 'spool')
    const batchBytes = Spool.encode(createTestRecords(1, 0, 10)).byteLength
    // Room for 10 batches; one key may fill 60% of it (6 batches).
    const settings = { ...SETTINGS, maxBytes: batchBytes * 10 + 100 }

    // Phase 1: a server that resets every connection (each insert fails).
    const storage = await unreachableStorage()
    const down = createClient({
      url: storage.url,
      // The failed connections are the point here; the client would print each one.
      log: { level: ClickHouseLogLevel.OFF },
    })
    const metrics = new Metrics()
    const outage = new DurableWriter(
      new SpanWriter(down, logger),
      Spool.open(spoolDir),
      settings,
      logger,
      metrics,
    )
    const outcomes: string[] = []
    for (let i = 0; i < 6; i += 1)
      outcomes.push(await outage.write(createTestRecords(1, i * 10, 10), 'am_flooder'))
    expect(outcomes).toEqual(Array(6).fill('spooled'))

    const flood = await outage.write(createTestRecords(1, 60, 10), 'am_flooder').catch((e) => e)
    expect(flood).toBeInstanceOf(SpoolFullError)
    expect((flood as SpoolFullError).status).toBe(429)

    for (let i = 0; i < 4; i += 1) {
      expect(await outage.write(createTestRecords(2, i * 10, 10), `am_other${i}`)).toBe('spooled')
    }
    const full = await outage.write(createTestRecords(3, 0, 10), 'am_late').catch((e) => e)
    expect(full).toBeInstanceOf(SpoolFullError)
    expect((full as SpoolFullError).status).toBe(503)
    expect((full as SpoolFullError).retryAfterSeconds).toBeGreaterThan(0)

    const rendered = metrics.render()
    expect(rendered).toContain('agentmeter_spool_batches 10\n')
    expect(rendered).toContain(`agentmeter_spool_bytes ${batchBytes * 10}\n`)
    expect(rendered).toContain('agentmeter_spool_appended_batches_total 10\n')
    // Shutdown with storage still down keeps the spool on disk for the next start.
    await outage.close()
    await down.close()
    await storage.close()
    expect(fs.readdirSync(spoolDir).filter((name) => name.endsWith('.spool'))).toHaveLength(10)
    expect(await countRows(false)).toEqual({ rows: 0, spans: 0 })

    // Keep a copy of the entries: a crash between their replay insert and their unlink leaves
    // them all on disk, to be replayed again at the next start.
    const entries = fs.readdirSync(spoolDir).filter((name) => name.endsWith('.spool'))
    expect(entries.sort()[0]).toBe('000000000001.am_flooder.spool')
    const copies = entries.map(
      (name) => [name, fs.readFileSync(path.join(spoolDir, name))] as const,
    )

    // Phase 2: the next start, against a reachable store, on the same data directory.
    const replayMetrics = new Metrics()
    const stored: SpanRecord[] = []
    // With deduplication tokens, as on a ClickHouse server (the embedded engine relies on FINAL).
    const back = new DurableWriter(
      new SpanWriter(store.client, logger, { deduplicate: true }),
      Spool.open(spoolDir),
      settings,
      logger,
      replayMetrics,
      (records) => stored.push(...records),
    )
    back.start()
    // The rows are handed on last, after the entries are removed and the spans counted.
    await waitFor('the replay of 100 spans', () => stored.length >= 100)
    expect(replayMetrics.render()).toContain('agentmeter_spool_batches 0\n')
    expect(await countRows(true)).toEqual({ rows: 100, spans: 100 })
    expect(stored).toHaveLength(100)
    expect(replayMetrics.render()).toContain('agentmeter_spool_replayed_spans_total 100\n')
    // Replayed in arrival order: the flooder's six batches first.
    expect(
      stored
        .slice(0, 60)
        .every((record) => record.trace_id === createTestRecords(1, 0, 1)[0]!.trace_id),
    ).toBe(true)

    // The spool is drained, so new batches go straight to ClickHouse.
    expect(await back.write(createTestRecords(4, 0, 5), 'am_flooder')).toBe('stored')
    await back.close()

    for (const [name, data] of copies) fs.writeFileSync(path.join(spoolDir, name), data)
    // With deduplication tokens, as on a ClickHouse server (the embedded engine relies on FINAL).
    const againMetrics = new Metrics()
    const again = new DurableWriter(
      new SpanWriter(store.client, logger, { deduplicate: true }),
      Spool.open(spoolDir),
      settings,
      logger,
      againMetrics,
    )
    again.start()
    // Waited for here, not left to close(): its shutdown budget (300 ms) is not a bound on a
    // replay of a loaded machine, and what it leaves would stay on disk.
    await waitFor('the second replay', () =>
      againMetrics.render().includes('agentmeter_spool_replayed_spans_total 100\n'),
    )
    await again.close()
    expect(fs.readdirSync(spoolDir).filter((name) => name.endsWith('.spool'))).toEqual([])
    // The second replay carried the same deduplication token: not even a second raw row.
    expect(await countRows(false)).toEqual({ rows: 105, spans: 105 })
  })

  it('should send a deduplication token derived from the batch content', async () => {
    const records = createTestRecords(7, 0, 3)
    await new SpanWriter(store.client, logger, { deduplicate: true }).write(records)
    const before = await countRows(false)
    // Other rows under the token of the first batch: ClickHouse skips them, which it does only
    // because the writer's insert registered exactly this token.
    await store.client.insert({
      table: 'spans',
      values: createTestRecords(8, 0, 3),
      format: 'JSONEachRow',
      clickhouse_settings: { insert_deduplication_token: dedupToken(records) },
    })
    expect(await countRows(false)).toEqual(before)
    expect(dedupToken(createTestRecords(7, 0, 3))).toBe(dedupToken(records))
    const repriced = records.map((record) => ({ ...record, cost_usd: '0.000000000001' }))
    expect(dedupToken(repriced)).not.toBe(dedupToken(records))
  })

  it('should refuse a second process on the same spool and remove torn temporary files', () => {
    const spoolDir = path.join(dir, 'spool-lock')
    const spool = Spool.open(spoolDir)
    fs.writeFileSync(path.join(spoolDir, '.tmp-000000000009.am_x.spool'), '{"torn')
    // A lock held by a running process (this test's parent) is refused.
    fs.writeFileSync(path.join(spoolDir, 'LOCK'), String(process.ppid))
    expect(() => Spool.open(spoolDir)).toThrow(/in use by process \d+/)
    // A lock left by a process that is gone (kill -9) is taken over.
    fs.writeFileSync(path.join(spoolDir, 'LOCK'), '999999999')
    const reopened = Spool.open(spoolDir)
    expect(fs.readdirSync(spoolDir).sort()).toEqual(['LOCK'])
    expect(reopened.batches).toBe(0)
    reopened.close()
    spool.close()
  })
})
