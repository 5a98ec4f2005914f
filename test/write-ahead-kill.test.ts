import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createLogger, loadConfig, startCollector } from '@agentmeter/collector'
import { afterAll, describe, expect, it } from 'vitest'
import { aheadEntries } from '../apps/collector/src/store/spool/spool-test-support'
import { startCollectorProcess, type CollectorProcess } from './support/collector-process'
import { createOtlpJsonBody, toUnixNano } from './support/otlp-json'
import { expectAcknowledgedOnce } from './support/acknowledged-spans'

/**
 * `agentmeter start` with every batch written ahead (`AGENTMETER_WRITE_AHEAD_MS=0`) is frozen
 * (SIGSTOP) under sustained ingest at a moment when batches were acknowledged on their
 * write-ahead entries and their inserts had not returned, then killed with SIGKILL. The restart
 * on the same directory replays those entries before it is up: every acknowledged span is
 * there, once, in the table and through the API.
 */
const API_KEY = 'am_write_ahead_kill_0123456789abcdef'
const SPANS_PER_BATCH = 40
const SENDERS = 4

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-wal-kill-'))
const spoolDir = path.join(dataDir, 'spool')
let running: CollectorProcess | undefined

afterAll(async () => {
  await running?.kill()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

function batchBody(traceId: string): string {
  const start = Date.now() - 30_000
  return createOtlpJsonBody(
    Array.from({ length: SPANS_PER_BATCH }, (_, i) => ({
      traceId,
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: 'chat gpt-4o',
      startTimeUnixNano: toUnixNano(new Date(start + i)),
      endTimeUnixNano: toUnixNano(new Date(start + i + 5)),
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 1200,
        'gen_ai.usage.output_tokens': 80,
      },
    })),
  )
}

/** The write-ahead entries on disk (in their slots), by sequence number and owner. */
function writeAheadFiles(): string[] {
  return aheadEntries(spoolDir).map((entry) => `${entry.seq}.${entry.owner}`)
}

describe('kill -9 between a write-ahead acknowledgement and its insert', () => {
  it('should replay the acknowledged entries at the restart, every span once', async () => {
    running = await startCollectorProcess({
      AGENTMETER_DATA_DIR: dataDir,
      AGENTMETER_INIT_PROJECT: 'wal-kill',
      AGENTMETER_INIT_API_KEY: API_KEY,
      AGENTMETER_LOG_LEVEL: 'error',
      AGENTMETER_WRITE_AHEAD_MS: '0',
    })
    const collector = running
    const acknowledged: string[] = []
    let stop = false
    const sender = async (lane: number) => {
      for (let n = 0; !stop; n += 1) {
        const traceId = `${(lane + 1).toString(16).padStart(2, '0')}${n.toString(16).padStart(30, '0')}`
        try {
          const response = await fetch(`${collector.url}/v1/traces`, {
            method: 'POST',
            headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
            body: batchBody(traceId),
          })
          await response.arrayBuffer()
          if (response.status === 200) acknowledged.push(traceId)
        } catch {
          return // the connection died with the process: never acknowledged
        }
      }
    }
    const senders = Array.from({ length: SENDERS }, (_, lane) => sender(lane))
    while (acknowledged.length < 40) await new Promise((resolve) => setTimeout(resolve, 20))

    // Frozen, the process can neither finish an insert nor release an entry: what is on disk
    // now is what the kill leaves. Thawed and retried until some entries are pending.
    let pending: string[] = []
    for (let attempt = 0; attempt < 200 && pending.length === 0; attempt++) {
      collector.child.kill('SIGSTOP')
      pending = writeAheadFiles()
      if (pending.length === 0) {
        collector.child.kill('SIGCONT')
        await new Promise((resolve) => setTimeout(resolve, 5))
      }
    }
    await collector.kill()
    stop = true
    await Promise.all(senders)
    expect(pending.length).toBeGreaterThan(0)
    expect(writeAheadFiles()).toEqual(pending)

    const restarted = await startCollector(
      loadConfig({
        AGENTMETER_PORT: '0',
        AGENTMETER_DATA_DIR: dataDir,
        AGENTMETER_INIT_PROJECT: 'wal-kill',
        AGENTMETER_INIT_API_KEY: API_KEY,
      }),
      createLogger('silent'),
    )
    try {
      // Replayed before start-up completed: nothing left in the spool directory.
      expect(fs.readdirSync(spoolDir).filter((name) => /\.(wal|slot|spool)$/.test(name))).toEqual(
        [],
      )
      await expectAcknowledgedOnce(restarted, API_KEY, acknowledged, SPANS_PER_BATCH)
    } finally {
      await restarted.close()
    }
  })
})
