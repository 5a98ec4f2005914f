import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  metricValue,
  sendTaskBatch,
  SPANS_PER_BATCH,
  storedTraces,
  waitForDrainedSpool,
  type SentBatch,
} from './support/spool-batches'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * The embedded engine's own directory stops taking writes under a running collector (the disk
 * turned read-only, a permission change): the engine still answers reads, but every insert into
 * `spans` fails on the filesystem. Ingest must go on into the spool, and once the spool's own
 * directory is unwritable too, answer 503 rather than acknowledge what it cannot keep. When the
 * directories are writable again, the spool drains and the acknowledged spans are stored once.
 *
 * The tests run as root here, and root writes through permission bits, so a directory is made
 * unwritable with the immutable attribute (`chattr +i`: no entry can be created in it, even by
 * root); as any other user, by taking its write bits away.
 */
const asRoot = process.getuid?.() === 0
const locked = new Set<string>()

function setWritable(dir: string, writable: boolean): void {
  if (asRoot) execFileSync('chattr', [writable ? '-i' : '+i', dir])
  else execFileSync('chmod', [writable ? 'u+w' : 'a-w', dir])
  if (writable) locked.delete(dir)
  else locked.add(dir)
}

let collector: TestCollector
const logLines: string[] = []
let nextTrace = 1
const sendBatch = (): Promise<SentBatch> =>
  sendTaskBatch(collector.url, collector.apiKey, nextTrace++)
const metric = (name: string) => metricValue(collector.url, name)

beforeAll(async () => {
  collector = await createTestCollector({ logLines })
})

afterAll(async () => {
  // A directory left immutable could not be removed with the test's data directory.
  for (const dir of [...locked]) setWritable(dir, true)
  await collector?.close()
})

/** The directory holding the spans table's parts (a path in the store's UUID layout). */
async function spansTableDir(): Promise<string> {
  const result = await collector.client.query({
    query: `SELECT data_paths FROM system.tables
      WHERE database = currentDatabase() AND name = 'spans'`,
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ data_paths: string[] }>()
  expect(row?.data_paths).toHaveLength(1)
  return path.resolve(collector.dataDir, row!.data_paths[0]!)
}

describe('ingest while the embedded directory is unwritable', () => {
  it('should spool, refuse with 503 once the spool is unwritable too, then drain exactly once', async () => {
    const first = await sendBatch()
    expect(first.status).toBe(200)
    const accepted = [first.traceId]

    const tableDir = await spansTableDir()
    expect(tableDir.startsWith(collector.dataDir)).toBe(true)
    setWritable(tableDir, false)

    // Inserts now fail in the engine; each batch is fsynced to the spool and acknowledged.
    for (let i = 0; i < 5; i++) {
      const sent = await sendBatch()
      expect(sent).toMatchObject({ status: 200, message: '' })
      accepted.push(sent.traceId)
    }
    expect(await metric('agentmeter_spool_batches')).toBe(5)
    // The engine still answers, so the collector is ready, and says what it holds.
    const ready = await fetch(`${collector.url}/readyz`)
    expect(ready.status).toBe(200)
    expect(((await ready.json()) as { spool: { batches: number } }).spool.batches).toBe(5)

    // Nowhere durable to put a batch: 503 with Retry-After, and nothing of it is kept.
    const spoolDir = path.join(collector.dataDir, 'spool')
    setWritable(spoolDir, false)
    const refused = await sendBatch()
    expect(refused).toMatchObject({
      status: 503,
      retryAfter: '5',
      message: 'storage is unavailable; the spans were not stored, retry later',
    })
    expect(await metric('agentmeter_spool_batches')).toBe(5)
    const refusal = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter(
        (line) =>
          line['message'] === 'the batch could be neither inserted nor spooled; answered 503',
      )
    expect(refusal).toHaveLength(1)
    expect(refusal[0]).toMatchObject({
      level: 'error',
      module: 'ingest',
      args: { spans: SPANS_PER_BATCH, code: 'EPERM', syscall: expect.any(String) },
    })

    // The replay kept failing meanwhile (an outage: retried, never quarantined).
    expect(await metric('agentmeter_spool_replay_failures_total')).toBeGreaterThan(0)
    expect(await metric('agentmeter_spool_quarantined_batches')).toBe(0)

    setWritable(spoolDir, true)
    setWritable(tableDir, true)
    await waitForDrainedSpool(collector.url, 30_000)
    expect(await metric('agentmeter_spool_replayed_batches_total')).toBe(5)
    expect(await metric('agentmeter_spool_replayed_spans_total')).toBe(5 * SPANS_PER_BATCH)

    const stored = await storedTraces(collector.client)
    expect(stored.traces).toEqual([...accepted].sort())
    expect(stored.traces).not.toContain(refused.traceId)
    expect(stored.rows).toBe(accepted.length * SPANS_PER_BATCH)
    expect(stored.spans).toBe(accepted.length * SPANS_PER_BATCH)

    // Writable again: a new batch is stored straight away, and the one refused can be resent.
    expect((await sendBatch()).status).toBe(200)
    expect(await metric('agentmeter_spool_batches')).toBe(0)
  })
})
