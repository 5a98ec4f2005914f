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
import { DurableWriter } from './durable-writer'
import type { SpoolSettings } from './settings'
import { Spool } from './spool'
import { createTestSpanRecords, openTestStore, type TestStore } from './spool-test-support'

/**
 * A spooled batch that ClickHouse refuses for its content, for real: batches spooled during an
 * outage, then an upgrade whose schema adds a constraint that one of them violates. The refused
 * batch must neither block the spool nor be dropped: retried, then quarantined with its error,
 * counted, the rest drained in order, and re-driven once the cause is fixed.
 */
const SETTINGS: SpoolSettings = {
  maxBytes: 10_000_000,
  maxKeySharePercent: 100,
  shutdownMillis: 300,
  retryBaseMillis: 20,
  maxRetryMillis: 50,
  maxRejections: 3,
}
const IMPOSSIBLE_TOKENS = 2_000_000_000

let testStore: TestStore
let dir: string
let store: StoreClient

beforeAll(async () => {
  testStore = await openTestStore('agentmeter-quarantine-')
  ;({ dir, store } = testStore)
})

afterAll(async () => {
  await testStore?.close()
})

function createTestRecords(trace: number, count: number, inputTokens = 1000): SpanRecord[] {
  return createTestSpanRecords('p-quarantine', trace, 0, count, inputTokens)
}

async function spansOf(trace: number): Promise<number> {
  const result = await store.client.query({
    query: `SELECT toUInt64(count()) AS n FROM spans FINAL
      WHERE project_id = 'p-quarantine' AND trace_id = {trace:String}`,
    query_params: { trace: trace.toString(16).padStart(32, '0') },
    format: 'JSONEachRow',
  })
  return Number((await result.json<{ n: string }>())[0]!.n)
}

async function closedPort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

async function waitFor(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('spool quarantine', () => {
  it('should set aside a batch ClickHouse refuses, drain the rest, and re-drive it after a fix', async () => {
    const spoolDir = path.join(dir, 'spool')
    const quarantineDir = path.join(spoolDir, 'quarantine')
    const silent = createLogger('silent')

    // An outage: three batches are acknowledged from the spool.
    const down = createClient({
      url: `http://127.0.0.1:${await closedPort()}`,
      log: { level: ClickHouseLogLevel.OFF },
    })
    const outage = new DurableWriter(
      new SpanWriter(down, silent),
      Spool.open(spoolDir),
      SETTINGS,
      silent,
      new Metrics(),
    )
    expect(await outage.write(createTestRecords(20, 5), 'am_a')).toBe('spooled')
    expect(await outage.write(createTestRecords(21, 5, IMPOSSIBLE_TOKENS), 'am_b')).toBe('spooled')
    expect(await outage.write(createTestRecords(22, 5), 'am_c')).toBe('spooled')
    await outage.close()
    await down.close()
    const refusedBytes = fs.readFileSync(path.join(spoolDir, '000000000002.am_b.spool'))

    // The upgrade: the new schema refuses impossible token counts, which one batch holds.
    await store.client.command({
      query: 'ALTER TABLE spans ADD CONSTRAINT input_tokens_sane CHECK input_tokens < 1000000000',
    })
    const logLines: string[] = []
    const metrics = new Metrics()
    const stored: SpanRecord[] = []
    const writer = new DurableWriter(
      new SpanWriter(store.client, createLogger('silent')),
      Spool.open(spoolDir),
      SETTINGS,
      createLogger('debug', (line) => logLines.push(line)),
      metrics,
      (records) => stored.push(...records),
    )
    writer.start()
    await waitFor(() => writer.status().batches === 0, 'the spool to drain')

    expect(writer.status()).toEqual({
      batches: 0,
      bytes: 0,
      quarantined: { batches: 1, bytes: refusedBytes.byteLength },
    })
    expect([await spansOf(20), await spansOf(21), await spansOf(22)]).toEqual([5, 0, 5])
    // The batch behind the refused one replayed after the one before it.
    expect(stored.map((record) => Number.parseInt(String(record.trace_id), 16))).toEqual([
      ...Array(5).fill(20),
      ...Array(5).fill(22),
    ])
    expect(fs.readdirSync(quarantineDir).sort()).toEqual([
      '000000000002.am_b.spool',
      '000000000002.am_b.spool.error.json',
    ])
    expect(fs.readFileSync(path.join(quarantineDir, '000000000002.am_b.spool'))).toEqual(
      refusedBytes,
    )
    const [record] = await writer.quarantined()
    expect(record).toMatchObject({
      file: '000000000002.am_b.spool',
      seq: 2,
      owner: 'am_b',
      bytes: refusedBytes.byteLength,
      spans: 5,
      attempts: 3,
      error: { code: '469', type: 'VIOLATED_CONSTRAINT' },
    })
    expect(record!.error.message).toContain('input_tokens_sane')
    expect(Date.parse(record!.quarantinedAt)).toBeGreaterThan(Date.now() - 60_000)

    const rendered = metrics.render()
    expect(rendered).toContain('agentmeter_spool_quarantined_batches 1\n')
    expect(rendered).toContain(`agentmeter_spool_quarantined_bytes ${refusedBytes.byteLength}\n`)
    expect(rendered).toContain('agentmeter_spool_quarantined_batches_total 1\n')
    expect(rendered).toContain('agentmeter_spool_replayed_batches_total 2\n')
    // The group refusal, then three refusals of the batch alone.
    expect(rendered).toContain('agentmeter_spool_replay_failures_total 4\n')
    const quarantinedLines = logLines.filter((line) => line.includes('moved to the quarantine'))
    expect(quarantinedLines).toHaveLength(1)
    expect(JSON.parse(quarantinedLines[0]!)).toMatchObject({
      level: 'error',
      module: 'spool',
      args: { seq: 2, spans: 5, attempts: 3, code: '469', type: 'VIOLATED_CONSTRAINT' },
    })
    // ClickHouse's message quotes the refused values; it is in the record, never in a log line.
    for (const line of logLines) expect(line).not.toContain('input_tokens_sane')

    // The quarantine does not hold up new batches: the spool is empty, so they go straight in.
    expect(await writer.write(createTestRecords(23, 2), 'am_a')).toBe('stored')
    await writer.close()

    // It survives a restart, and new entries never reuse its names.
    const fixed = new DurableWriter(
      new SpanWriter(store.client, silent),
      Spool.open(spoolDir),
      SETTINGS,
      silent,
      new Metrics(),
    )
    expect(fixed.status().quarantined.batches).toBe(1)
    await store.client.command({ query: 'ALTER TABLE spans DROP CONSTRAINT input_tokens_sane' })
    expect(await fixed.redrive()).toBe(1)
    await waitFor(() => fixed.status().batches === 0, 'the re-driven batch to replay')
    expect(await spansOf(21)).toBe(5)
    expect(fixed.status().quarantined).toEqual({ batches: 0, bytes: 0 })
    expect(fs.readdirSync(quarantineDir)).toEqual([])
    await fixed.close()
  })

  it('should set aside a spool file that does not parse at once, and replay the next', async () => {
    const spoolDir = path.join(dir, 'spool-damaged')
    fs.mkdirSync(spoolDir)
    fs.writeFileSync(path.join(spoolDir, '000000000001.am_x.spool'), '{"span_id": "trunc')
    fs.writeFileSync(
      path.join(spoolDir, '000000000002.am_y.spool'),
      Spool.encode(createTestRecords(30, 3)),
    )
    const silent = createLogger('silent')
    const writer = new DurableWriter(
      new SpanWriter(store.client, silent),
      Spool.open(spoolDir),
      SETTINGS,
      silent,
      new Metrics(),
    )
    writer.start()
    await waitFor(() => writer.status().batches === 0, 'the spool to drain')
    expect(await spansOf(30)).toBe(3)
    const [record] = await writer.quarantined()
    expect(record).toMatchObject({ seq: 1, owner: 'am_x', spans: 0, attempts: 0 })
    expect(record!.error.name).toBe('SyntaxError')
    await writer.close()
  })
})
