/**
 * Start-up time of `pnpm agentmeter start` (the same command line as its package script,
 * `node --import tsx`): from spawning the process to the first 200 of `GET /readyz`, on a fresh
 * data directory and then, the case the goal names, on an existing one holding spans. Baseline,
 * in the same run: the same runtime on a script that only exits, the part of the time no
 * collector change can remove.
 */

import { spawn } from 'node:child_process'
import fs from 'node:fs'
import { createServer } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import type { BenchOptions, SuiteResult } from './main'
import { printTable } from './support/measure'
import { median, round } from './support/stats'
import { buildTemplateBody } from './support/task-tree-bodies'

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url))
const CLI = path.join(REPO_ROOT, 'apps/collector/src/cli/main.ts')
// What the root package's `agentmeter` script runs: Node with tsx's loader, not tsx's launcher.
const RUNTIME = ['--import', 'tsx']

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

interface Started {
  millis: number
  stop(): Promise<void>
}

/** Spawns `agentmeter start` and waits for /readyz to answer 200 (60 s at most). */
async function start(dataDir: string, apiKey: string): Promise<Started & { url: string }> {
  const port = await freePort()
  const began = performance.now()
  const child = spawn(
    process.execPath,
    [...RUNTIME, CLI, 'start', '--port', String(port), '--data', dataDir],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        AGENTMETER_LOG_LEVEL: 'error',
        AGENTMETER_INIT_PROJECT: 'bench',
        AGENTMETER_INIT_API_KEY: apiKey,
      },
      stdio: 'ignore',
    },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const url = `http://127.0.0.1:${port}`
  while (performance.now() - began < 60_000) {
    const ready = await fetch(`${url}/readyz`).then(
      (response) => response.status === 200,
      () => false,
    )
    if (ready) {
      return {
        url,
        millis: performance.now() - began,
        async stop() {
          child.kill('SIGTERM')
          await exited
        },
      }
    }
    await sleep(20)
  }
  child.kill('SIGKILL')
  throw new Error('agentmeter start did not answer /readyz within 60 s')
}

async function bareRuntime(): Promise<number> {
  const began = performance.now()
  const child = spawn(process.execPath, [...RUNTIME, '-e', 'process.exit(0)'], {
    cwd: REPO_ROOT,
    stdio: 'ignore',
  })
  await new Promise((resolve) => child.once('exit', resolve))
  return performance.now() - began
}

export async function run(options: BenchOptions): Promise<SuiteResult> {
  const restarts = options.quick ? 2 : 5
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-bench-startup-'))
  const apiKey = `am_bench_${Date.now().toString(36)}`
  try {
    const fresh = await start(dataDir, apiKey)
    // Give the existing directory some content: 20 requests of 100 spans.
    const template = buildTemplateBody(20, 2, Math.floor(Date.now() / 1000))
    for (let i = 0; i < 20; i++) {
      const body = Uint8Array.from(template.body)
      body[template.traceIdOffsets[0]!] = i
      const response = await fetch(`${fresh.url}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-protobuf', authorization: `Bearer ${apiKey}` },
        body,
      })
      if (response.status !== 200) throw new Error(`ingest answered ${response.status}`)
    }
    await fresh.stop()

    const existing: number[] = []
    const baseline: number[] = []
    for (let i = 0; i < restarts; i++) {
      baseline.push(await bareRuntime())
      const started = await start(dataDir, apiKey)
      existing.push(started.millis)
      await started.stop()
    }
    const results = [
      { case: 'fresh data directory (migrations run)', readyMillis: round(fresh.millis, 0) },
      { case: 'existing data directory (median)', readyMillis: round(median(existing), 0) },
      { case: 'existing data directory (slowest)', readyMillis: round(Math.max(...existing), 0) },
      {
        case: 'baseline: node --import tsx, an empty script',
        readyMillis: round(median(baseline), 0),
      },
    ]
    const ratios = { existingVsBareTsx: round(median(existing) / median(baseline)) }
    if (!options.quiet) {
      console.log(`startup: ${restarts} restarts on an existing directory`)
      printTable([
        ['case', 'ms to /readyz 200'],
        ...results.map((r) => [r.case, String(r.readyMillis)]),
      ])
      console.log(`  existingVsBareTsx: ${ratios.existingVsBareTsx}`)
    }
    return { suite: 'startup', results, ratios }
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
}
