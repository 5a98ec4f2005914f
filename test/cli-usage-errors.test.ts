import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { promisify } from 'node:util'
import fs from 'node:fs'
import os from 'node:os'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * Every command refuses an option it does not know, or an argument it does not take, with exit
 * code 2 and a message that names it and lists what the command accepts, before it opens any
 * store or starts anything.
 */
const run = promisify(execFile)
const CLI = path.resolve(import.meta.dirname, '../apps/collector/src/cli/main.ts')
const TSX = createRequire(
  path.resolve(import.meta.dirname, '../apps/collector/package.json'),
).resolve('tsx/cli')

function agentmeter(args: string[]) {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AGENTMETER_')),
  )
  return run(process.execPath, [TSX, CLI, ...args], { env: base })
}

async function refusal(args: string[]) {
  return agentmeter(args).then(
    ({ stdout }) => ({ code: 0, stderr: `the command succeeded: ${stdout}` }),
    (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
  )
}

const USAGE = 'run "pnpm agentmeter --help" for usage\n'

describe('usage errors of every command', () => {
  it.each([
    [
      ['start', '--prot', '4318'],
      'unknown option --prot for start; accepted: --port, --host, --data, --demo, --help',
    ],
    [['start', '8080'], 'start takes no arguments, got "8080"; options start with --'],
    [
      ['keys', 'create', '--projct', 'x'],
      'unknown option --projct for keys create; accepted: --project, --scopes, --data, --json, --help',
    ],
    [['keys', 'list', 'extra'], 'keys list takes no arguments, got "extra"; options start with --'],
    [
      ['spool', 'list', '--jsn'],
      'unknown option --jsn for spool list; accepted: --data, --json, --help',
    ],
    [
      ['migrate', '--pirnt'],
      'unknown option --pirnt for migrate; accepted: --print, --data, --help',
    ],
    [['doctor', 'now'], 'doctor takes no arguments, got "now"; options start with --'],
    [['migrate', '--data'], "migrate: Option '--data <value>' argument missing"],
    [
      ['alerts', 'list', 'extra'],
      'alerts list takes no arguments, got "extra"; options start with --',
    ],
    [
      ['alerts', 'delete', 'rule-a', 'rule-b'],
      'alerts delete takes one argument, got another: "rule-b"',
    ],
    [
      ['prices', 'list', 'extra'],
      'prices list takes no arguments, got "extra"; options start with --',
    ],
    [['prices', 'delete'], 'prices delete needs the entry id (as prices list shows it)'],
    [
      ['alerts', 'list', '--endpoint', 'notaurl', '--key', 'k'],
      `--endpoint must be the collector's http(s) URL, such as http://127.0.0.1:4318, got "notaurl"`,
    ],
  ])('should refuse %j with exit code 2', async (args, message) => {
    expect(await refusal(args)).toEqual({ code: 2, stderr: `agentmeter: ${message}\n${USAGE}` })
  })
})

describe('a store no collector has run on yet', () => {
  let dataDir: string
  let key: string

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-unstarted-'))
    const made = await agentmeter([
      'keys',
      'create',
      '--project',
      'p2',
      '--json',
      '--data',
      dataDir,
    ])
    key = (JSON.parse(made.stdout) as { key: string }).key
  }, 60_000)

  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }))

  it('should list an empty spool, as it has nothing spooled', async () => {
    const listed = await agentmeter(['spool', 'list', '--data', dataDir])
    expect(listed.stdout).toBe('spool: 0 batches, 0 bytes; quarantined: 0 batches, 0 bytes\n')
    expect(fs.existsSync(path.join(dataDir, 'spool'))).toBe(false)
  })

  it('should find the project of --key when it opens the store itself', async () => {
    const listed = await agentmeter(['prices', 'list', '--data', dataDir, '--key', key])
    expect(listed.stdout).toMatch(/^no prices in this project/)
    expect(await refusal(['prices', 'list', '--data', dataDir])).toEqual({
      code: 2,
      stderr: `agentmeter: name the project: --project NAME, or --key KEY (or AGENTMETER_API_KEY) for the project of that key\n${USAGE}`,
    })
  })

  it('should say that a model price without cache rates charges cache tokens at the input rate', async () => {
    const withoutCache = await agentmeter([
      'prices',
      'add',
      '--model',
      'my-model',
      '--input',
      '1',
      '--output',
      '2',
      '--data',
      dataDir,
      '--key',
      key,
    ])
    expect(withoutCache.stdout).toMatch(/ {2}model my-model {2}in \$1\/M {2}out \$2\/M {2}from /)
    expect(withoutCache.stderr).toBe(
      "agentmeter: note: no --cache-read or --cache-write rate: this model's cache reads and writes are charged at its input rate; give --cache-read and --cache-write for the provider's cache prices\n",
    )
    const withRead = await agentmeter([
      'prices',
      'add',
      '--model',
      'my-model',
      '--input',
      '1',
      '--output',
      '2',
      '--cache-read',
      '0.1',
      '--data',
      dataDir,
      '--key',
      key,
    ])
    expect(withRead.stderr).toBe(
      "agentmeter: note: no --cache-write rate: this model's cache writes are charged at its input rate; give --cache-write for the provider's cache prices\n",
    )
  })

  it('should refuse a time that is not one with exit code 2, naming it', async () => {
    const error = await refusal([
      'reprice',
      '--from',
      'nope',
      '--to',
      '2026-01-02T00:00:00Z',
      '--data',
      dataDir,
      '--project',
      'p2',
    ])
    expect(error).toEqual({
      code: 2,
      stderr: `agentmeter: from must be an ISO 8601 time such as 2026-12-01T00:00:00Z, got "nope"\n${USAGE}`,
    })
  })
})
