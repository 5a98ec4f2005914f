import path from 'node:path'
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLogger } from '../logger'
import { Metrics } from '../metrics'
import { SpanWriter } from './span-writer'
import { DurableWriter } from './spool/durable-writer'
import { Spool } from './spool/spool'
import {
  aheadEntries,
  createTestSpanRecords,
  openTestStore,
  type TestStore,
} from './spool/spool-test-support'

const logger = createLogger('silent')
let testStore: TestStore

beforeAll(async () => {
  testStore = await openTestStore('agentmeter-linger-')
})

afterAll(async () => {
  await testStore?.close()
})

async function count(project: string) {
  const result = await testStore.store.client.query({
    query: `SELECT toString(count()) AS rows, toString(uniqExact(trace_id, span_id)) AS spans,
        toString(sum(input_tokens)) AS tokens
      FROM spans WHERE project_id = {project:String}`,
    query_params: { project },
    format: 'JSONEachRow',
  })
  return (await result.json<Record<string, string>>())[0]
}

/** Inserts and their rows so far, from the writer's own metrics. */
function inserts(metrics: Metrics): { inserts: number; rows: number } {
  const text = metrics.render()
  const value = (series: string) => {
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `))
    return line ? Number(line.slice(series.length + 1)) : 0
  }
  return {
    inserts: value('agentmeter_inserts_total{result="ok"}'),
    rows: value('agentmeter_insert_rows_total{result="ok"}'),
  }
}

const settle = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))

describe('SpanWriter lingering for rows', () => {
  it('should send lingering writes as one insert once the rows fill a batch', async () => {
    const metrics = new Metrics()
    const writer = new SpanWriter(testStore.store.client, logger, {
      metrics,
      lanes: 2,
      linger: { rows: 50, millis: 60_000 },
    })
    const project = 'p-linger-rows'
    const done: number[] = []
    const first = [1, 2, 3, 4].map((trace) =>
      writer
        .write(createTestSpanRecords(project, trace, 0, 10), undefined, { linger: true })
        .then(() => done.push(trace)),
    )
    await settle(150)
    // Forty rows wait for ten more; nothing was inserted, nothing answered.
    expect(done).toEqual([])
    expect(writer.queuedRows()).toBe(40)
    expect(await count(project)).toEqual({ rows: '0', spans: '0', tokens: '0' })
    await Promise.all([
      ...first,
      writer.write(createTestSpanRecords(project, 5, 0, 10), undefined, { linger: true }),
    ])
    expect(inserts(metrics)).toEqual({ inserts: 1, rows: 50 })
    expect(await count(project)).toEqual({ rows: '50', spans: '50', tokens: '50000' })
  })

  it('should insert at once when a write does not linger, taking the lingering ones along', async () => {
    const metrics = new Metrics()
    const writer = new SpanWriter(testStore.store.client, logger, {
      metrics,
      linger: { rows: 10_000, millis: 60_000 },
    })
    const project = 'p-linger-mixed'
    const lingering = [1, 2].map((trace) =>
      writer.write(createTestSpanRecords(project, trace, 0, 5), undefined, { linger: true }),
    )
    await settle(100)
    expect(inserts(metrics)).toEqual({ inserts: 0, rows: 0 })
    // Ack on insert (write-ahead off, the spool's replay): never held back.
    await writer.write(createTestSpanRecords(project, 3, 0, 5))
    await Promise.all(lingering)
    expect(inserts(metrics)).toEqual({ inserts: 1, rows: 15 })
    expect(await count(project)).toEqual({ rows: '15', spans: '15', tokens: '15000' })
  })

  it('should insert a lingering write after its time, or at once when hurried or flushed', async () => {
    const metrics = new Metrics()
    const timed = new SpanWriter(testStore.store.client, logger, {
      metrics,
      linger: { rows: 10_000, millis: 100 },
    })
    const started = performance.now()
    await timed.write(createTestSpanRecords('p-linger-time', 1, 0, 3), undefined, { linger: true })
    expect(performance.now() - started).toBeGreaterThanOrEqual(95)
    expect(await count('p-linger-time')).toEqual({ rows: '3', spans: '3', tokens: '3000' })

    const slow = new SpanWriter(testStore.store.client, logger, {
      linger: { rows: 10_000, millis: 600_000 },
    })
    const hurried = slow.write(createTestSpanRecords('p-linger-hurry', 1, 0, 4), undefined, {
      linger: true,
    })
    await settle(50)
    slow.hurry()
    await hurried
    const flushed = slow.write(createTestSpanRecords('p-linger-hurry', 2, 0, 4), undefined, {
      linger: true,
    })
    await slow.flush()
    await flushed
    expect(await count('p-linger-hurry')).toEqual({ rows: '8', spans: '8', tokens: '8000' })
  })
})

describe('write-ahead acknowledgement with a lingering writer', () => {
  it('should ack every request on its entry at once and store each span once in few inserts', async () => {
    const metrics = new Metrics()
    const writer = new SpanWriter(testStore.store.client, logger, {
      metrics,
      lanes: 2,
      linger: { rows: 60, millis: 60_000 },
    })
    const spoolDir = path.join(testStore.dir, 'linger-ahead')
    const spool = Spool.open(spoolDir)
    // A budget far above the test's time: acks come from the entries, which lingering writes
    // get without waiting for it.
    const settings = {
      maxBytes: 100_000_000,
      maxKeySharePercent: 60,
      shutdownMillis: 2000,
      writeAheadMillis: 600_000,
    }
    const durable = new DurableWriter(writer, spool, settings, logger, metrics)
    const project = 'p-linger-ahead'
    const paths = await Promise.all(
      [1, 2, 3, 4, 5].map((trace) =>
        durable.write(createTestSpanRecords(project, trace, 0, 10), 'am_linger'),
      ),
    )
    expect(paths).toEqual(['logged', 'logged', 'logged', 'logged', 'logged'])
    expect(aheadEntries(spoolDir)).toHaveLength(5)
    expect(await count(project)).toEqual({ rows: '0', spans: '0', tokens: '0' })
    // The sixth batch fills the 60 rows: one insert of all six.
    expect(await durable.write(createTestSpanRecords(project, 6, 0, 10), 'am_linger')).toBe(
      'logged',
    )
    await durable.close()
    expect(inserts(metrics)).toEqual({ inserts: 1, rows: 60 })
    expect(await count(project)).toEqual({ rows: '60', spans: '60', tokens: '60000' })
    expect(fs.readdirSync(spoolDir).filter((name) => name !== 'quarantine')).toEqual([])
  })

  it('should not linger for a request that waits for its insert (the entry does not fit)', async () => {
    const writer = new SpanWriter(testStore.store.client, logger, {
      linger: { rows: 10_000, millis: 600_000 },
    })
    const spoolDir = path.join(testStore.dir, 'linger-full')
    const settings = { maxBytes: 100, maxKeySharePercent: 60, shutdownMillis: 2000 }
    const durable = new DurableWriter(
      writer,
      Spool.open(spoolDir),
      { ...settings, writeAheadMillis: 0 },
      logger,
      new Metrics(),
    )
    const project = 'p-linger-full'
    expect(await durable.write(createTestSpanRecords(project, 1, 0, 5), 'am_full')).toBe('stored')
    expect(await count(project)).toEqual({ rows: '5', spans: '5', tokens: '5000' })
    await durable.close()
  })
})
