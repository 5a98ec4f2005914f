/**
 * Builders for the spool's tests (and the write-ahead kill test's child process): span rows as
 * the ingest route makes them, and a row writer whose inserts wait at a gate, so that a test
 * can hold a real insert between a write-ahead acknowledgement and ClickHouse's answer.
 */

import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { OtlpSpan } from '@agentmeter/core'
import { normalizeBatch } from '../../ingest/ingest-spans'
import { openStoreClient, type StoreClient } from '../client'
import { migrate } from '../migrations'
import type { EncodedRows } from '../insert-spans'
import type { SpanRecord } from '../span-record'
import { readAheadSlot, SLOT_FILE, type AheadSlotEntry } from './ahead-slots'
import type { RowWriter } from './durable-writer'

/** `count` gpt-4o chat spans of trace `trace` in `projectId`, span ids from `first + 1` on. */
export function createTestSpanRecords(
  projectId: string,
  trace: number,
  first: number,
  count: number,
  inputTokens = 1000,
): SpanRecord[] {
  const spans: OtlpSpan[] = Array.from({ length: count }, (_, i) => ({
    traceId: trace.toString(16).padStart(32, '0'),
    spanId: (first + i + 1).toString(16).padStart(16, '0'),
    parentSpanId: '',
    name: 'chat gpt-4o',
    kind: 3,
    startTimeUnixNano: '1764835200000000000',
    endTimeUnixNano: '1764835201000000000',
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.usage.input_tokens': inputTokens,
      'gen_ai.usage.output_tokens': 100,
    },
    events: [],
    statusCode: 0,
    statusMessage: '',
    resource: {},
    scopeName: '',
    scopeVersion: '',
  }))
  return normalizeBatch({ spans, rejected: [] }, projectId).records
}

/** An embedded store in a new temporary directory, migrated; `close()` removes it. */
export interface TestStore {
  dir: string
  store: StoreClient
  close(): Promise<void>
}

export async function openTestStore(prefix: string): Promise<TestStore> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  const store = await openStoreClient({ dataDir: path.join(dir, 'chdb') })
  await migrate(store.client)
  return {
    dir,
    store,
    async close() {
      await store.client.close()
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Passes writes to `target` once `open()` was called (each write waits at the gate until then);
 * with `holdAnswers`, a write that `target` stored still does not answer until `open()`: the
 * rows are in ClickHouse but the caller does not know it (a crash before the answer).
 */
export class GatedWriter implements RowWriter {
  private opened = false
  private waiting: (() => void)[] = []
  private readonly inFlight = new Set<Promise<void>>()

  constructor(
    public target: RowWriter,
    private readonly options: { holdAnswers?: boolean } = {},
  ) {}

  /** Writes started and not yet answered. */
  get pending(): number {
    return this.inFlight.size
  }

  /** Rows `target` stored while their answers were held. */
  storedRows = 0

  open(): void {
    this.opened = true
    for (const release of this.waiting.splice(0)) release()
  }

  write(records: SpanRecord[], encoded?: EncodedRows): Promise<void> {
    const work = (async () => {
      if (!this.options.holdAnswers) await this.gate()
      await this.target.write(records, encoded)
      this.storedRows += records.length
      if (this.options.holdAnswers) await this.gate()
    })()
    this.inFlight.add(work)
    void work.then(
      () => this.inFlight.delete(work),
      () => this.inFlight.delete(work),
    )
    return work
  }

  async flush(): Promise<void> {
    await Promise.allSettled([...this.inFlight])
    await this.target.flush()
  }

  private gate(): Promise<void> {
    if (this.opened) return Promise.resolve()
    return new Promise((resolve) => this.waiting.push(resolve))
  }
}

/**
 * The write-ahead entries in a spool directory's slots, oldest first: those a crash would leave
 * to replay (a slot cleared after its insert, or never written whole, holds none).
 */
export function aheadEntries(spoolDir: string): AheadSlotEntry[] {
  return fs
    .readdirSync(spoolDir)
    .filter((name) => SLOT_FILE.test(name))
    .flatMap((name) => readAheadSlot(path.join(spoolDir, name)) ?? [])
    .sort((a, b) => a.seq - b.seq)
}
