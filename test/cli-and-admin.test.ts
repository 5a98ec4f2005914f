import { execFile, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
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

/** The exit code and stderr of a command that must fail. */
async function refusal(args: string[]): Promise<{ code: number; stderr: string }> {
  const error = await agentmeter(args).then(
    () => ({ code: 0, stderr: 'the command succeeded' }),
    (err: { code: number; stderr: string }) => err,
  )
  return { code: error.code, stderr: error.stderr }
}

interface ListedKey {
  prefix: string
  project: { id: string; name: string }
  scopes: string[]
  createdAt: string
  revoked: boolean
}

async function listKeys(args: string[]): Promise<ListedKey[]> {
  const { stdout } = await agentmeter(['keys', 'list', '--json', ...args])
  return (JSON.parse(stdout) as { keys: ListedKey[] }).keys
}

/** What a listing must never show of a key: the key, or its SHA-256 (the stored hash). */
function expectNoSecretOf(text: string, key: string): void {
  expect(text).not.toContain(key)
  expect(text).not.toContain(createHash('sha256').update(key).digest('hex'))
}

describe('agentmeter CLI', () => {
  it('should print usage for every command with --help', async () => {
    const { stdout } = await agentmeter(['--help'])
    for (const command of ['start', 'demo', 'keys create', 'keys list', 'keys revoke ID', '--help'])
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
      const create = ['keys', 'create', '--project', 'cli-project', '--scopes', 'ingest,read']
      // The first command on a new machine: it makes the store, and says so on stderr.
      const { stdout, stderr } = await agentmeter([...create, '--data', dataDir])
      expect(stderr).toBe(
        `agentmeter: no store in ${JSON.stringify(dataDir)}: creating a new one there (check --data or AGENTMETER_DATA_DIR if you meant an existing store)\n`,
      )
      const lines = stdout.trim().split('\n')
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(/^am_[A-Za-z0-9_-]{43}$/)
      const other = (await agentmeter([...create, '--data', dataDir])).stdout.trim()

      // Listed by id, project, scopes, creation and state; revoked by a leading part of the id.
      const listed = await listKeys(['--data', dataDir])
      expect(
        listed.map(({ prefix, project, scopes, revoked }) => [
          prefix,
          project.name,
          scopes,
          revoked,
        ]),
      ).toEqual([
        [lines[0]!.slice(0, 11), 'cli-project', ['ingest', 'read'], false],
        [other.slice(0, 11), 'cli-project', ['ingest', 'read'], false],
      ])
      expect(Date.parse(listed[0]!.createdAt)).toBeGreaterThan(Date.now() - 120_000)
      const human = await agentmeter(['keys', 'list', '--data', dataDir])
      expect(human.stdout.split('\n')[1]).toBe(
        `${other.slice(0, 11)}  cli-project  ingest,read        created ${listed[1]!.createdAt}  active`,
      )
      for (const text of [JSON.stringify(listed), human.stdout]) {
        expectNoSecretOf(text, lines[0]!)
        expectNoSecretOf(text, other)
      }
      const revoke = await agentmeter(['keys', 'revoke', other.slice(0, 8), '--data', dataDir])
      expect(revoke.stdout.trim()).toBe(`revoked ${other.slice(0, 11)} of project cli-project`)
      const after = await listKeys(['--data', dataDir, '--project', 'cli-project'])
      expect(after.map((key) => [key.prefix, key.createdAt, key.revoked])).toEqual([
        [listed[0]!.prefix, listed[0]!.createdAt, false],
        // Revoked, it keeps its creation time.
        [listed[1]!.prefix, listed[1]!.createdAt, true],
      ])

      const collector = await createTestCollector({ env: { AGENTMETER_DATA_DIR: dataDir } })
      try {
        const signIn = (key: string) =>
          fetch(`${collector.url}/api/v1/session`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ key }),
          })
        const response = await signIn(lines[0]!)
        expect(response.status).toBe(200)
        expect(await response.json()).toMatchObject({ project: { name: 'cli-project' } })
        expect((await signIn(other)).status).toBe(401)
      } finally {
        await collector.close()
      }
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })

  it('should refuse a data directory that holds no store, in every command but those that make one', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-cli-typo-'))
    const typo = path.join(parent, 'typo')
    const empty = fs.mkdtempSync(path.join(parent, 'empty-'))
    try {
      const commands = [
        ['keys', 'list'],
        ['keys', 'revoke', 'am_abcdefgh'],
        ['doctor'],
        ['prices', 'list', '--project', 'p'],
        [
          'reprice',
          '--from',
          '2026-01-01T00:00:00Z',
          '--to',
          '2026-01-02T00:00:00Z',
          '--project',
          'p',
        ],
      ]
      await Promise.all(
        commands.map(async (command) => {
          const missing = await refusal([...command, '--data', typo])
          expect(missing, command.join(' ')).toEqual({
            code: 2,
            stderr: [
              `agentmeter: no agentmeter store in ${JSON.stringify(typo)} (the directory does not exist): expected the embedded ClickHouse data that "pnpm agentmeter start" creates there (a metadata/ directory). Check --data (or AGENTMETER_DATA_DIR); to make a new store there, run "pnpm agentmeter start --data ${typo}"`,
              'run "pnpm agentmeter --help" for usage',
              '',
            ].join('\n'),
          })
        }),
      )
      // An empty directory (made ahead by hand, say) holds no store either.
      for (const command of [commands[0]!, commands[3]!]) {
        const blank = await refusal([...command, '--data', empty])
        expect(blank.code, command.join(' ')).toBe(2)
        expect(blank.stderr).toContain(`no agentmeter store in ${JSON.stringify(empty)}: expected`)
      }
      const spool = await refusal(['spool', 'list', '--data', typo])
      expect(spool.code).toBe(2)
      expect(spool.stderr).toContain(
        `no agentmeter spool in ${JSON.stringify(typo)} (the directory does not exist): expected the spool/ directory that "pnpm agentmeter start" creates there`,
      )
      // Nothing was created on the way, neither the directory nor a store in the empty one.
      expect(fs.existsSync(typo)).toBe(false)
      expect(fs.readdirSync(empty)).toEqual([])
    } finally {
      fs.rmSync(parent, { recursive: true, force: true })
    }
  })

  it('should create, list and revoke keys through a running collector that holds the store', async () => {
    const parent = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-cli-running-'))
    // start makes the directory and its store (here one that did not exist).
    const dataDir = path.join(parent, 'new-store')
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

      const [listed] = await listKeys(['--data', dataDir])
      expect(listed).toMatchObject({
        prefix: key.slice(0, 11),
        project: { name: 'busy' },
        scopes: ['ingest', 'read'],
        revoked: false,
      })
      expectNoSecretOf(JSON.stringify(listed), key)
      const revoke = await agentmeter(['keys', 'revoke', key.slice(0, 11), '--data', dataDir])
      expect(revoke).toEqual({
        stdout: `revoked ${key.slice(0, 11)} of project busy\n`,
        stderr: '',
      })
      // At once: the collector that holds the store refuses the key on the next request.
      const refused = await fetch(`${url}/api/v1/tasks`, {
        headers: { authorization: `Bearer ${key}` },
      })
      expect(refused.status).toBe(401)
      expect((await listKeys(['--data', dataDir]))[0]).toMatchObject({
        createdAt: listed!.createdAt,
        revoked: true,
      })

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
      fs.rmSync(parent, { recursive: true, force: true })
    }
  })

  it('should migrate a new store, then report it healthy with doctor', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-cli-doctor-'))
    try {
      const versions = MIGRATIONS.map((migration) => migration.version)
      const first = await agentmeter(['migrate', '--data', dataDir])
      expect(first.stderr).toContain(`no store in ${JSON.stringify(dataDir)}: creating a new one`)
      expect(first.stdout.trim()).toBe(
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
    expect(await session.json()).toEqual({ tasks: [], nextCursor: null })
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

  it('should list keys, of the instance or of a project, without a key or its hash', async () => {
    const created = await admin('POST', '/keys', { project: 'listed-team', scopes: ['read'] })
    const { key, prefix } = (await created.json()) as { key: string; prefix: string }
    const all = await admin('GET', '/keys')
    expect(all.status).toBe(200)
    const text = await all.text()
    expectNoSecretOf(text, key)
    const { keys } = JSON.parse(text) as { keys: ListedKey[] }
    expect(keys.map((listed) => listed.project.name)).toContain('test-project')
    const own = await admin('GET', '/keys?project=listed-team')
    const listed = ((await own.json()) as { keys: ListedKey[] }).keys
    expect(listed).toEqual([
      {
        prefix,
        project: { id: expect.any(String), name: 'listed-team' },
        scopes: ['read'],
        createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        revoked: false,
      },
    ])
    expect(await (await admin('GET', '/keys?project=nobody')).json()).toEqual({
      error: 'no project named "nobody"',
    })
    expect((await admin('GET', '/keys?projects=x')).status).toBe(400)
  })

  it('should revoke within a project only that project’s keys, answering 404 for another’s', async () => {
    const created = await admin('POST', '/keys', { project: 'kept-team', scopes: ['read'] })
    const { key, prefix } = (await created.json()) as { key: string; prefix: string }
    const elsewhere = await admin('DELETE', `/keys/${prefix}?project=test-project`)
    expect({ status: elsewhere.status, body: await elsewhere.json() }).toEqual({
      status: 404,
      body: { error: `no active key with prefix "${prefix}" in project "test-project"` },
    })
    const tasks = await fetch(`${collector.url}/api/v1/tasks`, {
      headers: { authorization: `Bearer ${key}` },
    })
    expect(tasks.status).toBe(200)
    expect((await admin('DELETE', `/keys/${prefix}?project=kept-team`)).status).toBe(200)
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
