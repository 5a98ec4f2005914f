import { execFile } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * `pnpm run up` twice on one data directory: `start --demo` gives the demo a state file in the
 * data directory, and the second run must not send the seeded routing history again (its
 * identical prompts would read as repeated work, its spend would count twice). The demo runs
 * as `start` runs it: its own process, over OTLP, into a real collector.
 */
const run = promisify(execFile)
const DEMO = path.resolve(import.meta.dirname, '../apps/demo/src/main.ts')
const TSX = createRequire(
  path.resolve(import.meta.dirname, '../apps/collector/package.json'),
).resolve('tsx/cli')
const ROUTING = ['faq-answer', 'contract-review']
const HISTORY = 20

let collector: TestCollector
let stateDir: string
let controlKey: string

interface CostRow {
  key: string
  costUsd: number | null
  tasks: number
}

beforeAll(async () => {
  collector = await createTestCollector()
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-demo-state-'))
  const control = await collector.projects.ensureProject('control')
  controlKey = await collector.projects.createKey(control.id, ['ingest', 'read'])
}, 60_000)

afterAll(async () => {
  await collector?.close()
  if (stateDir) fs.rmSync(stateDir, { recursive: true, force: true })
})

/** One demo process: the history (up to `history` tasks) and one live task. */
async function demo(key: string, state: string, history: number): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    [TSX, DEMO, '--endpoint', collector.url, '--key', key, '--tasks', '1'].concat([
      '--routing-tasks',
      String(history),
      '--state',
      path.join(stateDir, state),
    ]),
    { env: { ...process.env, AGENTMETER_LOG_LEVEL: 'silent' } },
  )
  return stdout
}

/** Spend and tasks per task name, as the dashboard's costs view reads them. */
async function costs(key: string): Promise<CostRow[]> {
  const to = new Date(Date.now() + 3_600_000).toISOString()
  const response = await fetch(
    `${collector.url}/api/v1/costs?from=2020-01-01T00:00:00Z&to=${to}&groupBy=task_name`,
    { headers: { authorization: `Bearer ${key}` } },
  )
  const { rows } = (await response.json()) as { rows: CostRow[] }
  return rows
    .map(({ key: name, costUsd, tasks }) => ({ key: name, costUsd, tasks }))
    .sort((a, b) => a.key.localeCompare(b.key))
}

const routingRows = (rows: CostRow[]) => rows.filter((row) => ROUTING.includes(row.key))
const taskCount = (rows: CostRow[]) => rows.reduce((sum, row) => sum + row.tasks, 0)

describe('the demo run twice into one store', () => {
  let once: CostRow[]

  it('should send the routing history on the first run', async () => {
    const stdout = await demo(collector.apiKey, 'demo-state.json', HISTORY)
    expect(stdout).toContain(`${HISTORY} routing tasks (mixed fleets)`)
    once = await costs(collector.apiKey)
    expect(routingRows(once).map((row) => [row.key, row.tasks])).toEqual([
      ['contract-review', HISTORY / 2],
      ['faq-answer', HISTORY / 2],
    ])
    expect(taskCount(once)).toBe(HISTORY + 1)
    expect(readState('demo-state.json')).toEqual({ historyTasks: HISTORY, runs: 1 })
  }, 120_000)

  it('should add only the live task on the second run, the history to the dollar as once', async () => {
    const stdout = await demo(collector.apiKey, 'demo-state.json', HISTORY)
    expect(stdout).toContain(
      `routing history already sent to this store (${HISTORY} tasks); live tasks only`,
    )
    const twice = await costs(collector.apiKey)
    expect(routingRows(twice)).toEqual(routingRows(once))
    expect(routingRows(once).every((row) => (row.costUsd ?? 0) > 0)).toBe(true)
    // The live task is new work: one more task, not the history again.
    expect(taskCount(twice)).toBe(HISTORY + 2)
    expect(readState('demo-state.json')).toEqual({ historyTasks: HISTORY, runs: 2 })
  }, 120_000)

  it('should send the rest of a history a stopped run left, the same tasks as one run', async () => {
    // A first run that got through half of the history (as one stopped by Ctrl-C would).
    await demo(controlKey, 'control-state.json', HISTORY / 2)
    expect(readState('control-state.json')).toEqual({ historyTasks: HISTORY / 2, runs: 1 })
    const stdout = await demo(controlKey, 'control-state.json', HISTORY)
    expect(stdout).toContain(`${HISTORY / 2} routing tasks (mixed fleets)`)
    expect(routingRows(await costs(controlKey))).toEqual(routingRows(once))
  }, 120_000)
})

function readState(file: string): unknown {
  return JSON.parse(fs.readFileSync(path.join(stateDir, file), 'utf8'))
}
