import { execFile } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { MIGRATIONS, SCHEMA_VERSION } from '@agentmeter/collector'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startClickHouseShim, type ClickHouseShim } from './support/clickhouse-shim/server'

// `migrate` and `doctor` as an operator runs them against a ClickHouse server, here the HTTP shim.
const run = promisify(execFile)
const CLI = path.resolve(import.meta.dirname, '../apps/collector/src/cli/main.ts')
const TSX = createRequire(
  path.resolve(import.meta.dirname, '../apps/collector/package.json'),
).resolve('tsx/cli')

let shim: ClickHouseShim
let dir: string

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-doctor-'))
  shim = await startClickHouseShim({ path: dir, users: { ops: 'pw' } })
})

afterAll(async () => {
  await shim?.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

function agentmeter(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, [TSX, CLI, ...args], {
    env: {
      ...process.env,
      AGENTMETER_LOG_LEVEL: 'silent',
      AGENTMETER_CLICKHOUSE_URL: shim.url,
      AGENTMETER_CLICKHOUSE_USER: 'ops',
      AGENTMETER_CLICKHOUSE_PASSWORD: 'pw',
      ...env,
    },
  })
}

interface DoctorOutput {
  checks: Array<{ name: string; ok: boolean; detail: string }>
}

async function doctor(env: Record<string, string> = {}) {
  const outcome = await agentmeter(['doctor', '--json'], env).then(
    ({ stdout }) => ({ code: 0, stdout }),
    (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
  )
  return { code: outcome.code, ...(JSON.parse(outcome.stdout) as DoctorOutput) }
}

describe('migrate and doctor on a ClickHouse server', () => {
  it('should fail the schema check before migrate and pass every check after', async () => {
    const before = await doctor()
    expect(before.code).toBe(1)
    expect(before.checks.find((check) => check.name === 'schema version')).toEqual({
      name: 'schema version',
      ok: false,
      detail: `0, this build expects ${SCHEMA_VERSION}: run "pnpm agentmeter migrate"`,
    })

    const versions = MIGRATIONS.map((migration) => migration.version)
    expect((await agentmeter(['migrate'])).stdout.trim()).toBe(
      `applied migrations ${versions.join(', ')}; schema version ${SCHEMA_VERSION}`,
    )

    const after = await doctor()
    expect(after.code).toBe(0)
    expect(after.checks.map((check) => [check.name, check.ok])).toEqual([
      ['clickhouse version', true],
      ['schema version', true],
      ['clock skew', true],
      ['disk', true],
      ['settings', true],
    ])
    expect(after.checks[0]!.detail).toBe(`${shim.version} (server; 23.x or later needed)`)
    expect(after.checks[4]!.detail).toMatch(/^readonly=0 /)
  })

  it('should name a cluster that the server does not define', async () => {
    const { code, checks } = await doctor({ AGENTMETER_CLICKHOUSE_CLUSTER: 'prod' })
    expect(code).toBe(1)
    expect(checks.at(-1)).toEqual({
      name: 'cluster',
      ok: false,
      detail:
        'cluster "prod" (AGENTMETER_CLICKHOUSE_CLUSTER) is not in system.clusters: define it in remote_servers',
    })
  })
})
