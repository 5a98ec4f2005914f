import { execFile, spawn } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { MIGRATIONS, SCHEMA_VERSION } from '@agentmeter/collector'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestCollector, type TestCollector } from './support/test-collector'

const run = promisify(execFile)
const CLI = path.resolve(import.meta.dirname, '../apps/collector/src/cli/main.ts')
const TSX = createRequire(
  path.resolve(import.meta.dirname, '../apps/collector/package.json'),
).resolve('tsx/cli')

function agentmeter(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, [TSX, CLI, ...args], {
    env: { ...process.env, AGENTMETER_LOG_LEVEL: 'silent', ...env },
  })
}

describe('agentmeter CLI', () => {
  it('should print usage for every command with --help', async () => {
    const { stdout } = await agentmeter(['--help'])
    for (const command of ['start', 'demo', 'keys create', '--help'])
      expect(stdout).toContain(command)
  })

  it('should exit 2 naming an unknown command', async () => {
    const error = await agentmeter(['frobnicate']).catch(
      (err: { code: number; stderr: string }) => err,
    )
    expect(error).toMatchObject({ code: 2 })
    expect((error as { stderr: string }).stderr).toContain('unknown command "frobnicate"')
  })

  it('should create a key on one line that then authenticates against the store', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-cli-'))
    try {
      const { stdout } = await agentmeter([
        'keys',
        'create',
        '--project',
        'cli-project',
        '--scopes',
        'ingest,read',
        '--data',
        dataDir,
      ])
      const lines = stdout.trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(/^am_[A-Za-z0-9_-]{43}$/)

      const collector = await createTestCollector({ env: { AGENTMETER_DATA_DIR: dataDir } })
      try {
        const response = await fetch(`${collector.url}/api/v1/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ key: lines[0] }),
        })
        expect(response.status).toBe(200)
        expect(await response.json()).toMatchObject({ project: { name: 'cli-project' } })
      } finally {
        await collector.close()
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('should create a key through a running collector that holds the store', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-cli-running-'))
    const child = spawn(process.execPath, [TSX, CLI, 'start', '--port', '0', '--data', dataDir], {
      env: { ...process.env, AGENTMETER_LOG_LEVEL: 'silent' },
    })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = ''
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString()
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
          if (match) resolve(match[1]!)
        })
        child.once('exit', (code) => reject(new Error(`start exited with ${code}`)))
      })
      const { stdout, stderr } = await agentmeter([
        'keys',
        'create',
        '--project',
        'busy',
        '--data',
        dataDir,
      ])
      const key = stdout.trim()
      expect(key).toMatch(/^am_/)
      // It goes to the collector without first tripping over the engine's lock (whose
      // exception chDB would print).
      expect(stderr).toBe('')
      const response = await fetch(`${url}/api/v1/tasks`, {
        headers: { authorization: `Bearer ${key}` },
      })
      expect(response.status).toBe(200)

      // The doctor's checks run in the collector that holds the store.
      const doctor = await agentmeter(['doctor', '--json', '--data', dataDir])
      expect(doctor.stderr).toBe('')
      const { checks } = JSON.parse(doctor.stdout) as {
        checks: Array<{ name: string; ok: boolean; detail: string }>
      }
      expect(checks.map((check) => [check.name, check.ok])).toEqual([
        ['clickhouse version', true],
        ['schema version', true],
        ['clock skew', true],
        ['disk', true],
        ['settings', true],
      ])
      expect(checks[1]!.detail).toBe(String(SCHEMA_VERSION))
      const human = await agentmeter(['doctor', '--data', dataDir])
      expect(human.stdout.split('\n')[0]).toBe(`checked by the collector running at ${url}`)
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
      expect(fs.existsSync(path.join(dataDir, 'collector.json'))).toBe(false)
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('should migrate a new store, then report it healthy with doctor', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-cli-doctor-'))
    try {
      const versions = MIGRATIONS.map((migration) => migration.version)
      expect((await agentmeter(['migrate', '--data', dataDir])).stdout.trim()).toBe(
        `applied migrations ${versions.join(', ')}; schema version ${SCHEMA_VERSION}`,
      )
      expect((await agentmeter(['migrate', '--data', dataDir])).stdout.trim()).toBe(
        `schema is up to date (version ${SCHEMA_VERSION})`,
      )
      const { stdout } = await agentmeter(['doctor', '--json', '--data', dataDir])
      const { checks } = JSON.parse(stdout) as { checks: Array<{ name: string; ok: boolean }> }
      expect(checks.map((check) => [check.name, check.ok])).toEqual([
        ['clickhouse version', true],
        ['schema version', true],
        ['clock skew', true],
        ['disk', true],
        ['settings', true],
      ])
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('should refuse an unknown scope, naming it', async () => {
    const error = await agentmeter([
      'keys',
      'create',
      '--project',
      'x',
      '--scopes',
      'ingest,write',
    ]).catch((err: { stderr: string }) => err)
    expect((error as { stderr: string }).stderr).toContain(
      'unknown scope "write"; expected one of ingest, read, admin',
    )
  })
})

describe('instance admin routes', () => {
  let collector: TestCollector
  const adminToken = 'admin-token-for-tests-0123456789'

  beforeAll(async () => {
    collector = await createTestCollector({ env: { AGENTMETER_ADMIN_TOKEN: adminToken } })
  })

  afterAll(async () => {
    await collector?.close()
  })

  function admin(method: string, route: string, body?: unknown, token = adminToken) {
    return fetch(`${collector.url}/api/v1/admin${route}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  }

  it('should create a project whose key reads only its own project', async () => {
    const created = await admin('POST', '/projects', { name: 'other-team' })
    expect(created.status).toBe(201)
    const { key, project } = (await created.json()) as { key: string; project: { name: string } }
    expect(project.name).toBe('other-team')

    const session = await fetch(`${collector.url}/api/v1/tasks`, {
      headers: { authorization: `Bearer ${key}` },
    })
    expect(session.status).toBe(200)
    expect(await session.json()).toEqual({ tasks: [] })
  })

  it('should revoke a key by its prefix so that it fails at once', async () => {
    const created = await admin('POST', '/keys', { project: 'test-project', scopes: ['read'] })
    const { key, prefix } = (await created.json()) as { key: string; prefix: string }
    const before = await fetch(`${collector.url}/api/v1/tasks`, {
      headers: { authorization: `Bearer ${key}` },
    })
    expect(before.status).toBe(200)

    expect((await admin('DELETE', `/keys/${prefix}`)).status).toBe(200)
    const after = await fetch(`${collector.url}/api/v1/tasks`, {
      headers: { authorization: `Bearer ${key}` },
    })
    expect(after.status).toBe(401)
  })

  it('should refuse a wrong admin token and a read-only key on ingest', async () => {
    expect((await admin('POST', '/projects', { name: 'x' }, 'wrong')).status).toBe(401)
    const created = await admin('POST', '/keys', { project: 'test-project', scopes: ['read'] })
    const { key } = (await created.json()) as { key: string }
    const ingest = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(ingest.status).toBe(403)
  })
})
