import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import { ClickHouseLogLevel, createClient } from '@clickhouse/client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../../logger'
import { Metrics } from '../../metrics'
import type { StoreClient } from '../client'
import type { SpanRecord } from '../span-record'
import { encodeSpanRecords } from '../insert-spans'
import { SpanWriter } from '../span-writer'
import { DurableWriter, type RowWriter, type SpoolSettings } from './durable-writer'
import { readAheadSlot } from './ahead-slots'
import { Spool } from './spool'
import {
  aheadEntries,
  createTestSpanRecords,
  GatedWriter,
  openTestStore,
  type TestStore,
} from './spool-test-support'

const logger = createLogger('silent')
const SETTINGS: SpoolSettings = {
  maxBytes: 100_000_000,
  maxKeySharePercent: 60,
  shutdownMillis: 2000,
  retryBaseMillis: 20,
  maxRetryMillis: 50,
  writeAheadMillis: 0,
}

let testStore: TestStore
let dir: string
let store: StoreClient

beforeAll(async () => {
  testStore = await openTestStore('agentmeter-write-ahead-')
  ;({ dir, store } = testStore)
})

afterAll(async () => {
  await testStore?.close()
})

function records(project: string, trace: number, count: number): SpanRecord[] {
  return createTestSpanRecords(project, trace, 0, count)
}

async function countRows(project: string, final: boolean) {
  const result = await store.client.query({
    query: `SELECT toUInt64(count()) AS rows, toUInt64(uniqExact(trace_id, span_id)) AS spans
      FROM spans ${final ? 'FINAL' : ''} WHERE project_id = {project: String}`,
    query_params: { project },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ rows: string; spans: string }>()
  return { rows: Number(row!.rows), spans: Number(row!.spans) }
}

function filesOf(spoolDir: string, suffix: string): string[] {
  return fs
    .readdirSync(spoolDir)
    .filter((name) => name.endsWith(suffix))
    .sort()
}

async function waitFor(check: () => boolean | Promise<boolean>, millis = 20_000): Promise<void> {
  const deadline = Date.now() + millis
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

describe('write-ahead acknowledgement', () => {
  it('should acknowledge on the fsynced entry while the insert runs, and drop it once stored', async () => {
    const spoolDir = path.join(dir, 'ahead-ok')
    const gated = new GatedWriter(new SpanWriter(store.client, logger))
    const metrics = new Metrics()
    const stored: SpanRecord[] = []
    const spool = Spool.open(spoolDir)
    const durable = new DurableWriter(gated, spool, SETTINGS, logger, metrics, (rows) =>
      stored.push(...rows),
    )
    const batches = [1, 2, 3].map((trace) => records('p-ahead-ok', trace, 10))
    const paths = await Promise.all(batches.map((batch) => durable.write(batch, 'am_ok')))

    // Durable on disk, not yet in ClickHouse, and outside the replay order.
    expect(paths).toEqual(['logged', 'logged', 'logged'])
    const entries = aheadEntries(spoolDir)
    expect(entries.map((entry) => [entry.seq, entry.owner])).toEqual([
      [1, 'am_ok'],
      [2, 'am_ok'],
      [3, 'am_ok'],
    ])
    // Each holds its batch as the insert got it (the same serialization, after a header).
    const onDisk = entries.map((entry) => entry.data.toString('utf8'))
    expect(onDisk.sort()).toEqual(
      batches.map((batch) => Spool.encodeCompact(encodeSpanRecords(batch)).toString()).sort(),
    )
    expect(spool.batches).toBe(0)
    expect(spool.aheadBytes).toBe(
      onDisk.reduce((total, data) => total + Buffer.byteLength(data), 0),
    )
    expect(await countRows('p-ahead-ok', false)).toEqual({ rows: 0, spans: 0 })
    expect(stored).toEqual([])

    gated.open()
    await durable.close()
    expect(fs.readdirSync(spoolDir).filter((name) => name !== 'quarantine')).toEqual([])
    expect(spool.aheadBytes).toBe(0)
    expect(await countRows('p-ahead-ok', false)).toEqual({ rows: 30, spans: 30 })
    // The alerts hear of each batch once, when its insert returned.
    expect(stored).toHaveLength(30)
    expect(metrics.render()).toContain('agentmeter_ingest_acks_total{path="logged"} 3\n')
    expect(metrics.render()).toContain('agentmeter_ingest_acks_total{path="stored"} 0\n')
  })

  it('should answer stored and write nothing when the insert returns within the budget', async () => {
    const spoolDir = path.join(dir, 'ahead-fast')
    const durable = new DurableWriter(
      new SpanWriter(store.client, logger),
      Spool.open(spoolDir),
      { ...SETTINGS, writeAheadMillis: 60_000 },
      logger,
      new Metrics(),
    )
    expect(await durable.write(records('p-ahead-fast', 1, 5), 'am_fast')).toBe('stored')
    expect(filesOf(spoolDir, '.slot')).toEqual([])
    await durable.close()
    expect(await countRows('p-ahead-fast', false)).toEqual({ rows: 5, spans: 5 })
  })

  it('should wait for the insert when the entry would not fit the spool budget', async () => {
    const spoolDir = path.join(dir, 'ahead-budget')
    const gated = new GatedWriter(new SpanWriter(store.client, logger))
    const durable = new DurableWriter(
      gated,
      Spool.open(spoolDir),
      { ...SETTINGS, maxBytes: 100 },
      logger,
      new Metrics(),
    )
    let path_: string | null = null
    const answer = durable.write(records('p-ahead-budget', 1, 5), 'am_b').then((p) => {
      path_ = p
    })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(path_).toBeNull()
    expect(filesOf(spoolDir, '.slot')).toEqual([])
    gated.open()
    await answer
    expect(path_).toBe('stored')
    await durable.close()
    expect(await countRows('p-ahead-budget', false)).toEqual({ rows: 5, spans: 5 })
  })

  it('should replay the entry of an insert that failed after the ack, in arrival order', async () => {
    const spoolDir = path.join(dir, 'ahead-failed')
    const down = createClient({
      url: `http://127.0.0.1:${await closedPort()}`,
      log: { level: ClickHouseLogLevel.OFF },
    })
    const gated = new GatedWriter(new SpanWriter(down, logger))
    const metrics = new Metrics()
    const stored: SpanRecord[] = []
    const spool = Spool.open(spoolDir)
    const durable = new DurableWriter(gated, spool, SETTINGS, logger, metrics, (rows) =>
      stored.push(...rows),
    )
    const first = records('p-ahead-failed', 1, 10)
    expect(await durable.write(first, 'am_f')).toBe('logged')
    gated.open()
    // The insert fails: the entry joins the replay order under its own sequence number.
    await waitFor(() => spool.batches === 1)
    expect(filesOf(spoolDir, '.slot')).toEqual([])
    expect(filesOf(spoolDir, '.spool')).toEqual(['000000000001.am_f.spool'])
    // Later batches queue behind it while it is not replayed.
    const second = records('p-ahead-failed', 2, 10)
    expect(await durable.write(second, 'am_f')).toBe('spooled')
    expect(filesOf(spoolDir, '.spool')).toEqual([
      '000000000001.am_f.spool',
      '000000000002.am_f.spool',
    ])

    gated.target = new SpanWriter(store.client, logger)
    await waitFor(() => spool.batches === 0)
    await durable.close()
    await down.close()
    expect(await countRows('p-ahead-failed', true)).toEqual({ rows: 20, spans: 20 })
    // Replayed in arrival order, the rows read back from the compact entry as they were.
    expect(stored).toEqual([...first, ...second])
    expect(metrics.render()).toContain('agentmeter_spool_replayed_spans_total 20\n')
    expect(metrics.render()).toContain('agentmeter_ingest_acks_total{path="spooled"} 1\n')
  })

  it('should replay leftover entries at the next start, each span once, inserted or not', async () => {
    const spoolDir = path.join(dir, 'ahead-crash')
    const real = new SpanWriter(store.client, logger)
    // The process dies with two batches acknowledged on their entries: the first one's insert
    // never ran, the second one's reached ClickHouse but its answer was not seen.
    let calls = 0
    const never = new Promise<void>(() => {})
    const crashing: RowWriter = {
      write: (rows) => (calls++ === 0 ? never : real.write(rows).then(() => never)),
      flush: () => Promise.resolve(),
    }
    const spool = Spool.open(spoolDir)
    const before = new DurableWriter(crashing, spool, SETTINGS, logger, new Metrics())
    const lost = records('p-ahead-crash', 1, 10)
    const landed = records('p-ahead-crash', 2, 10)
    expect(await before.write(lost, 'am_c')).toBe('logged')
    expect(await before.write(landed, 'am_c')).toBe('logged')
    await waitFor(async () => (await countRows('p-ahead-crash', false)).rows === 10)
    expect(aheadEntries(spoolDir).map((entry) => entry.seq)).toEqual([1, 2])
    spool.close() // what a kill -9 leaves: the files, and a lock nobody holds

    const metrics = new Metrics()
    const reopened = Spool.open(spoolDir)
    expect(reopened.batches).toBe(2)
    expect(filesOf(spoolDir, '.slot')).toEqual([])
    const after = new DurableWriter(real, reopened, SETTINGS, logger, metrics)
    after.start()
    await waitFor(() => reopened.batches === 0)
    await after.close()
    expect(filesOf(spoolDir, '.spool')).toEqual([])
    // The landed batch went in twice; read with FINAL, as every query does, each span is once.
    expect(await countRows('p-ahead-crash', true)).toEqual({ rows: 20, spans: 20 })
    expect((await countRows('p-ahead-crash', false)).spans).toBe(20)
    expect(metrics.render()).toContain('agentmeter_spool_replayed_spans_total 20\n')
  })

  it('should write an entry while chDB queries hold every thread of libuv pool', async () => {
    const spool = Spool.open(path.join(dir, 'ahead-pool'))
    const order: string[] = []
    // Each query holds a pool thread until it returns, and the engine runs them one at a time.
    const threads = Number(process.env.UV_THREADPOOL_SIZE ?? 4)
    const queries = Array.from({ length: threads }, (_, n) =>
      store.client
        .query({ query: 'SELECT sleep(0.5)', format: 'JSONEachRow' })
        .then((result) => result.json())
        .then(() => order.push(`query ${n}`)),
    )
    await new Promise((resolve) => setTimeout(resolve, 100))
    const read = fs.promises.readFile(import.meta.filename).then(() => order.push('pool read'))
    const entry = await spool.logAhead('am_pool', Spool.encode(records('p-ahead-pool', 1, 3)))
    order.push('entry written')
    await Promise.all([...queries, read])
    // A plain fs call waited for a query to give its thread back; the entry did not.
    expect(order[0]).toBe('entry written')
    expect(order.indexOf('pool read')).toBeGreaterThan(1)
    expect(readAheadSlot(entry.file)?.data.toString('utf8')).toBe(
      Spool.encode(records('p-ahead-pool', 1, 3)).toString(),
    )
    await spool.release(entry)
    spool.close()
  })
})
