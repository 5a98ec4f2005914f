import { execFile } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOtlpJsonBody, toUnixNano } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * A batch that ClickHouse refuses for real, through a running collector: an upgrade adds a
 * constraint to `spans`, then a span that violates it arrives. It is acknowledged (spooled), and
 * it must neither block the spool nor be lost: quarantined with its error, shown in `/readyz`,
 * `/metrics` and the admin API, while the spans behind it are stored; once the constraint is
 * dropped, `pnpm agentmeter spool redrive` puts it back and it is stored. The CLI is run as the
 * user runs it, through the running collector and on a data directory without one.
 */
const ADMIN_TOKEN = 'spool-quarantine-admin-token-0123456789'
const CLI = path.resolve(import.meta.dirname, '../apps/collector/src/cli/main.ts')
const TSX_LOADER = pathToFileURL(
  createRequire(path.resolve(import.meta.dirname, '../apps/collector/package.json')).resolve(
    'tsx/esm',
  ),
).href
const REFUSED_TRACE = 'f1'.repeat(16)
const KEPT_TRACE = 'f2'.repeat(16)
const IMPOSSIBLE_TOKENS = 2_000_000_000

const logLines: string[] = []
let collector: TestCollector
let offlineDir = ''

async function ingest(traceId: string, taskName: string, inputTokens: number): Promise<number> {
  const start = new Date(Date.now() - 60_000)
  const response = await fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
    body: createOtlpJsonBody([
      {
        traceId,
        spanId: traceId.slice(0, 16),
        name: 'chat gpt-4o',
        startTimeUnixNano: toUnixNano(start),
        endTimeUnixNano: toUnixNano(new Date(start.getTime() + 500)),
        attributes: {
          'agentmeter.task.name': taskName,
          'gen_ai.operation.name': 'chat',
          'gen_ai.provider.name': 'openai',
          'gen_ai.request.model': 'gpt-4o',
          'gen_ai.usage.input_tokens': inputTokens,
          'gen_ai.usage.output_tokens': 10,
        },
      },
    ]),
  })
  return response.status
}

async function readyz(): Promise<{ status: string; spool: Record<string, unknown> }> {
  return (await (await fetch(`${collector.url}/readyz`)).json()) as {
    status: string
    spool: Record<string, unknown>
  }
}

async function cli(...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', TSX_LOADER, CLI, ...args],
    {
      env: { ...process.env, AGENTMETER_LOG_LEVEL: 'silent' },
    },
  )
  return stdout
}

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string) {
  const deadline = Date.now() + 45_000
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

beforeAll(async () => {
  // Two rejections instead of the default 5: the threshold reaches the writer from the variable.
  collector = await createTestCollector({
    env: { AGENTMETER_ADMIN_TOKEN: ADMIN_TOKEN, AGENTMETER_SPOOL_MAX_REJECTIONS: '2' },
    logLines,
  })
  offlineDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-quarantine-cli-'))
})

afterAll(async () => {
  await collector?.close()
  fs.rmSync(offlineDir, { recursive: true, force: true })
})

describe('spool quarantine through a running collector', () => {
  it('should quarantine the refused batch, store the rest, report it, and re-drive it', async () => {
    await collector.client.command({
      query: 'ALTER TABLE spans ADD CONSTRAINT input_tokens_sane CHECK input_tokens < 1000000000',
    })
    // Acknowledged: ClickHouse refused the insert, so the batch went to the spool.
    expect(await ingest(REFUSED_TRACE, 'refused-task', IMPOSSIBLE_TOKENS)).toBe(200)
    expect(await ingest(KEPT_TRACE, 'kept-task', 1000)).toBe(200)

    const ready = await poll(
      readyz,
      (body) =>
        (body.spool.quarantined as { batches: number }).batches === 1 && body.spool.batches === 0,
      'the refused batch to be quarantined',
    )
    expect(ready.status).toBe('ready')
    const quarantinedBytes = (ready.spool.quarantined as { bytes: number }).bytes
    expect(quarantinedBytes).toBeGreaterThan(0)
    expect(ready.spool).toEqual({
      batches: 0,
      bytes: 0,
      quarantined: { batches: 1, bytes: quarantinedBytes },
    })

    const metrics = await (await fetch(`${collector.url}/metrics`)).text()
    expect(metrics).toContain('agentmeter_spool_quarantined_batches 1\n')
    expect(metrics).toContain(`agentmeter_spool_quarantined_bytes ${quarantinedBytes}\n`)
    expect(metrics).toContain('agentmeter_spool_quarantined_batches_total 1\n')

    const tasks = await collector.api<{ tasks: Array<{ name: string; inputTokens: number }> }>(
      '/api/v1/tasks',
    )
    expect(tasks.body.tasks.map((task) => [task.name, task.inputTokens])).toEqual([
      ['kept-task', 1000],
    ])

    // The admin API shows it with ClickHouse's error; a project key cannot reach it.
    const asKey = await fetch(`${collector.url}/api/v1/admin/spool`, {
      headers: { authorization: `Bearer ${collector.apiKey}` },
    })
    expect(asKey.status).toBe(401)
    const listing = (await (
      await fetch(`${collector.url}/api/v1/admin/spool`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
    ).json()) as { quarantine: Array<Record<string, unknown>> }
    expect(listing.quarantine).toHaveLength(1)
    expect(listing.quarantine[0]).toMatchObject({
      spans: 1,
      attempts: 2,
      error: { code: '469', type: 'VIOLATED_CONSTRAINT' },
    })

    // The CLI through the collector that holds the spool (as `start` leaves its address).
    fs.writeFileSync(
      path.join(collector.dataDir, 'collector.json'),
      JSON.stringify({ url: collector.url, adminToken: ADMIN_TOKEN, pid: process.pid }),
    )
    const listed = JSON.parse(
      await cli('spool', 'list', '--data', collector.dataDir, '--json'),
    ) as {
      quarantined: { batches: number }
      quarantine: Array<{ file: string }>
    }
    expect(listed.quarantined.batches).toBe(1)
    const file = listed.quarantine[0]!.file
    // A copy for the offline CLI run below.
    fs.cpSync(
      path.join(collector.dataDir, 'spool', 'quarantine'),
      path.join(offlineDir, 'spool', 'quarantine'),
      {
        recursive: true,
      },
    )

    await collector.client.command({ query: 'ALTER TABLE spans DROP CONSTRAINT input_tokens_sane' })
    expect(await cli('spool', 'redrive', '--data', collector.dataDir)).toBe(
      '1 quarantined batches put back in the spool (replaying now)\n',
    )
    const after = await poll(
      () => collector.api<{ tasks: Array<{ name: string; inputTokens: number }> }>('/api/v1/tasks'),
      (answer) => answer.body.tasks.length === 2,
      'the re-driven batch to be stored',
    )
    expect(after.body.tasks.map((task) => [task.name, task.inputTokens]).sort()).toEqual([
      ['kept-task', 1000],
      ['refused-task', IMPOSSIBLE_TOKENS],
    ])
    expect((await readyz()).spool).toEqual({
      batches: 0,
      bytes: 0,
      quarantined: { batches: 0, bytes: 0 },
    })
    expect(fs.readdirSync(path.join(collector.dataDir, 'spool', 'quarantine'))).toEqual([])

    // ClickHouse's message quotes the refused row; no log line does.
    expect(logLines.some((line) => line.includes('moved to the quarantine'))).toBe(true)
    for (const line of logLines) expect(line).not.toContain('input_tokens_sane')

    // The CLI on a data directory no collector holds: the batch goes back to the spool proper.
    const offline = await cli('spool', 'list', '--data', offlineDir)
    expect(offline.split('\n')[0]).toBe(
      `spool: 0 batches, 0 bytes; quarantined: 1 batches, ${quarantinedBytes} bytes`,
    )
    expect(offline).toContain(`${file}  1 spans  refused 2x`)
    expect(offline).toContain('469 VIOLATED_CONSTRAINT')
    expect(await cli('spool', 'redrive', '--data', offlineDir)).toBe(
      '1 quarantined batches put back in the spool (replayed at the next start)\n',
    )
    const seq = Number(file.slice(0, 12))
    expect(
      fs.readdirSync(path.join(offlineDir, 'spool')).filter((name) => name.endsWith('.spool')),
    ).toEqual([`${String(seq + 1).padStart(12, '0')}${file.slice(12)}`])
    expect(fs.readdirSync(path.join(offlineDir, 'spool', 'quarantine'))).toEqual([])
  })
})
