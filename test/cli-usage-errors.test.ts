import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

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

async function refusal(args: string[]) {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AGENTMETER_')),
  )
  return run(process.execPath, [TSX, CLI, ...args], { env: base }).then(
    ({ stdout }) => ({ code: 0, stderr: `the command succeeded: ${stdout}` }),
    (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
  )
}

const USAGE = 'run "pnpm agentmeter --help" for usage\n'

describe('usage errors of the commands that work on the data directory', () => {
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
  ])('should refuse %j with exit code 2', async (args, message) => {
    expect(await refusal(args)).toEqual({ code: 2, stderr: `agentmeter: ${message}\n${USAGE}` })
  })
})
