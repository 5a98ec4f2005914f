import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

/**
 * `agentmeter start` off loopback with no way to authenticate is refused before it listens. The
 * accepted configurations are covered by the guard's unit test: this suite never opens a port
 * beyond loopback.
 */
const ROOT = path.resolve(import.meta.dirname, '..')
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-exposure-'))

afterAll(() => {
  fs.rmSync(dataDir, { recursive: true, force: true })
})

function start(host: string, env: Record<string, string> = {}) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('AGENTMETER_')),
  )
  return spawnSync(
    process.execPath,
    ['--import', 'tsx', 'apps/collector/src/cli/main.ts', 'start', '--host', host, '--port', '0'],
    {
      cwd: ROOT,
      env: { ...clean, AGENTMETER_DATA_DIR: dataDir, ...env },
      encoding: 'utf8',
      timeout: 60_000,
    },
  )
}

describe('agentmeter start on a non-loopback address', () => {
  it('should refuse to listen without auth configured, with the reason and the fixes', () => {
    const result = start('0.0.0.0')
    expect(result.status).toBe(1)
    expect(result.stdout).not.toMatch(/listening/)
    expect(result.stderr.trim().split('\n').at(-1)).toBe(
      'agentmeter: refusing to listen on 0.0.0.0 without auth configured: set AGENTMETER_ADMIN_TOKEN (at least 16 characters) or AGENTMETER_INIT_PROJECT and AGENTMETER_INIT_API_KEY, or create a key first (agentmeter keys create); or listen on 127.0.0.1',
    )
  })

  it('should refuse an admin token too short to guard an exposed port', () => {
    const result = start('::', { AGENTMETER_ADMIN_TOKEN: 'letmein' })
    expect(result.status).toBe(1)
    expect(result.stderr).toContain(
      'refusing to listen on ::: AGENTMETER_ADMIN_TOKEN has 7 characters; off loopback it needs at least 16',
    )
  })
})
