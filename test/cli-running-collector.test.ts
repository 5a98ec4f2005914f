import { execFile } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCollectorProcess, type CollectorProcess } from './support/collector-process'

/**
 * The commands that go through a running collector, run as a user does while `start` holds the
 * data directory on a port of its own (not the default): they find it by the data directory,
 * with no `--endpoint`.
 */
const run = promisify(execFile)
const CLI = path.resolve(import.meta.dirname, '../apps/collector/src/cli/main.ts')
const TSX = createRequire(
  path.resolve(import.meta.dirname, '../apps/collector/package.json'),
).resolve('tsx/cli')
const KEY = 'am_running_collector_test_key_0123456789abc'
const PROJECT = 'running-project'

let dataDir: string
let collector: CollectorProcess

/** A CLI run with an environment that names no collector, key or project of its own. */
function agentmeter(args: string[], env: Record<string, string> = {}) {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AGENTMETER_')),
  )
  return run(process.execPath, [TSX, CLI, ...args], {
    env: { ...base, AGENTMETER_LOG_LEVEL: 'silent', ...env },
  })
}

async function refusal(args: string[], env: Record<string, string> = {}) {
  const error = await agentmeter(args, env).then(
    () => ({ code: 0, stderr: 'the command succeeded' }),
    (err: { code: number; stderr: string }) => err,
  )
  return { code: error.code, stderr: error.stderr }
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-cli-held-'))
  collector = await startCollectorProcess({
    AGENTMETER_DATA_DIR: dataDir,
    AGENTMETER_INIT_PROJECT: PROJECT,
    AGENTMETER_INIT_API_KEY: KEY,
    AGENTMETER_LOG_LEVEL: 'silent',
  })
  expect(collector.url).not.toBe('http://127.0.0.1:4318')
}, 60_000)

afterAll(async () => {
  await collector?.stop()
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('alerts through the collector that holds the data directory', () => {
  it('should create, update and list rules at the address start recorded, with no --endpoint', async () => {
    const created = await agentmeter([
      'alerts',
      'create',
      '--data',
      dataDir,
      '--key',
      KEY,
      '--name',
      'held rule',
      '--type',
      'task_cost',
      '--threshold',
      '0.5',
      '--url',
      'https://hooks.example.com/first',
      '--json',
    ])
    const { rule } = JSON.parse(created.stdout) as { rule: { id: string } }

    const updated = await agentmeter([
      'alerts',
      'update',
      'held rule',
      '--threshold',
      '0.75',
      '--task-name',
      'ticket-triage',
      '--url',
      'https://hooks.example.com/second',
      '--data',
      dataDir,
      '--key',
      KEY,
      '--json',
    ])
    expect(JSON.parse(updated.stdout)).toMatchObject({
      id: rule.id,
      name: 'held rule',
      type: 'task_cost',
      taskName: 'ticket-triage',
      thresholdUsd: 0.75,
      channel: { type: 'webhook', url: 'https://hooks.example.com/second' },
    })
    // The change is in the collector's store: a plain list through the API shows it.
    const response = await fetch(`${collector.url}/api/v1/alert-rules`, {
      headers: { authorization: `Bearer ${KEY}` },
    })
    const { rules } = (await response.json()) as { rules: Array<{ thresholdUsd: number }> }
    expect(rules.map((listed) => listed.thresholdUsd)).toEqual([0.75])

    const listed = await agentmeter(['alerts', 'list', '--data', dataDir, '--key', KEY])
    expect(listed.stdout).toBe(`${rule.id}  held rule  task_cost > $0.75  webhook  ok\n`)
  })

  it('should refuse an update that changes nothing, or an unknown flag, naming the accepted ones', async () => {
    expect(
      await refusal(['alerts', 'update', 'held rule', '--data', dataDir, '--key', KEY]),
    ).toEqual({
      code: 2,
      stderr:
        'agentmeter: alerts update held rule changes nothing: give one or more of --name, --threshold, --task-name, --window, --period, --baseline-factor, --environment, --service, --tag, --url, --channel\nrun "pnpm agentmeter --help" for usage\n',
    })
    const unknown = await refusal(['alerts', 'update', 'held rule', '--thresholdUsd', '1'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr.split('\n')[0]).toBe(
      'agentmeter: unknown option --thresholdUsd for alerts update; accepted: --endpoint, --key, --data, --project, --json, --name, --type, --threshold, --url, --channel, --task-name, --window, --period, --baseline-factor, --environment, --service, --tag, --rule, --limit',
    )
    // The API's own validation still speaks for the values: a type never changes.
    const retyped = await refusal([
      'alerts',
      'update',
      'held rule',
      '--type',
      'spend_budget',
      '--data',
      dataDir,
      '--key',
      KEY,
    ])
    expect(retyped).toEqual({
      code: 2,
      stderr: `agentmeter: the collector at ${collector.url} refused (400): type cannot change (from task_cost to "spend_budget"); create a new rule instead\nrun "pnpm agentmeter --help" for usage\n`,
    })
  })

  it('should say what to do without a key, naming the collector it found', async () => {
    expect(await refusal(['alerts', 'list', '--data', dataDir])).toEqual({
      code: 2,
      stderr: `agentmeter: alerts commands go through the collector's API at ${collector.url}, which needs a project key: pass --key KEY or set AGENTMETER_API_KEY (the admin scope to change anything); make one with "pnpm -s agentmeter keys create --project NAME --scopes read,admin --data ${dataDir}"\nrun "pnpm agentmeter --help" for usage\n`,
    })
  })
})

describe('prices while a collector holds the store', () => {
  it('should list and add through the collector with the key provisioned for the project', async () => {
    const env = { AGENTMETER_INIT_PROJECT: PROJECT, AGENTMETER_INIT_API_KEY: KEY }
    const added = await agentmeter(
      [
        'prices',
        'add',
        '--model',
        'acme-held',
        '--input',
        '2.5',
        '--output',
        '10',
        '--effective-from',
        '2026-11-01T00:00:00Z',
        '--project',
        PROJECT,
        '--data',
        dataDir,
        '--json',
      ],
      env,
    )
    expect(JSON.parse(added.stdout)).toMatchObject({
      price: { kind: 'model', name: 'acme-held', inputMtok: '2.500000000000' },
    })
    const listed = await agentmeter(
      ['prices', 'list', '--project', PROJECT, '--data', dataDir],
      env,
    )
    expect(listed.stdout).toMatch(
      /^\S+ {2}model acme-held {2}in \$2\.5\/M {2}out \$10\/M {2}from 2026-11-01T00:00:00\.000Z\n$/,
    )
  })

  it('should say what to do when no key of the project is at hand', async () => {
    expect(await refusal(['prices', 'list', '--project', PROJECT, '--data', dataDir])).toEqual({
      code: 1,
      stderr: `agentmeter: the store under ${dataDir} is held by a running collector, so prices list must go through the collector's API at ${collector.url}, which needs a project key: pass --key KEY or set AGENTMETER_API_KEY (the admin scope to change anything); make one with "pnpm -s agentmeter keys create --project ${PROJECT} --scopes read,admin --data ${dataDir}"\n`,
    })
  })

  it('should refuse an API field name as a flag, naming the flag for it and the accepted ones', async () => {
    const error = await refusal([
      'prices',
      'add',
      '--model',
      'x',
      '--inputMtok',
      '1',
      '--data',
      dataDir,
    ])
    expect(error).toEqual({
      code: 2,
      stderr:
        'agentmeter: unknown option --inputMtok for prices add (the API field inputMtok is --input here); accepted: --data, --project, --endpoint, --key, --json, --help, --kind, --provider, --model, --tool, --deployment, --base-model, --effective-from, --input, --output, --cache-read, --cache-write, --cache-write-1h, --per-call, --note\nrun "pnpm agentmeter --help" for usage\n',
    })
  })
})

describe('the key start --demo keeps in the data directory', () => {
  it('should be used for --project demo, and named in the refusal without a project', async () => {
    // As `start --demo` leaves it (this collector's key stands in for the demo project's).
    fs.writeFileSync(path.join(dataDir, 'demo-key'), `${KEY}\n`, { mode: 0o600 })
    try {
      const listed = await agentmeter(['alerts', 'list', '--project', 'demo', '--data', dataDir])
      expect(listed.stdout).toMatch(/^\S+ {2}held rule {2}task_cost > \$0\.75 {2}webhook {2}ok\n$/)
      const error = await refusal(['alerts', 'list', '--data', dataDir])
      expect(error.code).toBe(2)
      expect(error.stderr.split('\n')[0]).toBe(
        `agentmeter: alerts commands go through the collector's API at ${collector.url}, which needs a project key: pass --key KEY or set AGENTMETER_API_KEY (the admin scope to change anything); make one with "pnpm -s agentmeter keys create --project NAME --scopes read,admin --data ${dataDir}"; for the demo project of "start --demo", pass --project demo`,
      )
    } finally {
      fs.rmSync(path.join(dataDir, 'demo-key'))
    }
  })
})

describe('migrate while a collector holds the store', () => {
  it('should say that the collector migrated it, without the engine lock error', async () => {
    expect(await refusal(['migrate', '--data', dataDir])).toEqual({
      code: 1,
      stderr: `agentmeter: the store under ${dataDir} is held by the collector at ${collector.url}; a collector applies the pending migrations itself when it starts (its /readyz shows the schema version), so there is nothing to run beside it: stop it first to migrate by hand\n`,
    })
  })
})

describe('after the collector stops', () => {
  it('should say that no collector runs on the store named with --data, not try another', async () => {
    await collector.stop()
    const error = await refusal(['alerts', 'list', '--data', dataDir, '--key', KEY], {
      AGENTMETER_PORT: '9',
    })
    expect(error).toEqual({
      code: 2,
      stderr: `agentmeter: no collector is running on the store under ${dataDir}, and alert rules are served by a running collector: start one there with "pnpm agentmeter start --data ${dataDir}", or pass --endpoint URL\nrun "pnpm agentmeter --help" for usage\n`,
    })
  })

  it('should name the address it tried and where it came from when nothing answers there', async () => {
    const error = await refusal(['alerts', 'list', '--key', KEY], {
      AGENTMETER_DATA_DIR: dataDir,
      AGENTMETER_PORT: '9',
    })
    expect(error).toEqual({
      code: 1,
      stderr: `agentmeter: no collector answered at http://127.0.0.1:9; alert rules live in a running collector's store: start one with "pnpm agentmeter start" or pass --endpoint URL (that address: AGENTMETER_HOST:AGENTMETER_PORT, as no running collector is recorded in ${dataDir})\n`,
    })
  })
})
