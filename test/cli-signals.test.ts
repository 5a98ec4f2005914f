import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Ctrl-C of `pnpm agentmeter ...` as a terminal sends it: SIGINT to the whole foreground
 * process group (pnpm, its shell if any, node, and whatever they started). After a clean
 * shutdown the command exits 0, so pnpm reports no failure. The commands run through the pnpm
 * that runs these tests, as a user runs them.
 */
const ROOT = path.resolve(import.meta.dirname, '..')

function findPnpm(): string {
  const found = spawnSync('pnpm', ['--version'], { encoding: 'utf8' })
  if (found.status !== 0) {
    throw new Error('pnpm is not on PATH: run the tests through pnpm (see the README)')
  }
  return 'pnpm'
}

interface Run {
  output: () => string
  /** Resolves once `pattern` shows in the output. */
  waitFor: (pattern: RegExp, millis?: number) => Promise<void>
  /** SIGINT to the process group, as Ctrl-C; resolves with how the command ended. */
  interrupt: () => Promise<{ code: number | null; signal: NodeJS.Signals | null }>
}

/** `pnpm <args>` in a process group of its own, as a terminal's foreground job. */
function runInGroup(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(findPnpm(), args, {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, AGENTMETER_LOG_LEVEL: 'silent', ...env },
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  )
  return {
    output: () => output,
    async waitFor(pattern, millis = 60_000) {
      const deadline = Date.now() + millis
      while (!pattern.test(output)) {
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`${pattern} did not show; the output was:\n${output}`)
        }
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    },
    async interrupt() {
      process.kill(-child.pid!, 'SIGINT')
      return exited
    },
  }
}

let collector: TestCollector
const dirs: string[] = []

beforeAll(async () => {
  collector = await createTestCollector()
})

afterAll(async () => {
  await collector?.close()
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true })
})

describe('Ctrl-C of pnpm agentmeter', () => {
  it('should end start with exit code 0 after its graceful stop, and pnpm reporting nothing', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-sigint-'))
    dirs.push(dataDir)
    const run = runInGroup(['agentmeter', 'start', '--port', '0', '--data', dataDir])
    await run.waitFor(/^dashboard: /m)
    expect(await run.interrupt()).toEqual({ code: 0, signal: null })
    expect(run.output()).toContain(
      'agentmeter: SIGINT: stopping (SIGINT again to quit at once)\nagentmeter: stopped\n',
    )
    expect(run.output()).not.toMatch(/ELIFECYCLE|failed/i)
    // The graceful stop ran: the collector took back the address it had left for commands.
    expect(fs.existsSync(path.join(dataDir, 'collector.json'))).toBe(false)
  })

  it('should stop demo --loop after its current task, with every task it ran stored, and exit 0', async () => {
    const run = runInGroup([
      'agentmeter',
      'demo',
      '--endpoint',
      collector.url,
      '--key',
      collector.apiKey,
      '--tasks',
      '2',
      '--loop',
      '--interval-ms',
      '200',
    ])
    await run.waitFor(/^\s+4\s+(ok|FAIL)/m)
    expect(await run.interrupt()).toEqual({ code: 0, signal: null })
    expect(run.output()).toContain('stopping after the current task, then flushing')
    expect(run.output()).not.toMatch(/ELIFECYCLE/)
    const summary = /^(\d+) tasks, (\d+) failed; traces sent to /m.exec(run.output())
    expect(summary).not.toBeNull()
    // Flushed before it exited: every task it counted is in the store.
    const { body } = await collector.api<{ tasks: unknown[] }>('/api/v1/tasks?limit=1000')
    expect(body.tasks).toHaveLength(Number(summary![1]))
  })
})
