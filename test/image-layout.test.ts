import { execFile, spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { GPT4O_1000_500, llmSpan, sendSpans, taskRootSpan } from './support/alert-spans'
import { startClickHouseShim, type ClickHouseShim } from './support/clickhouse-shim/server'

// No Docker engine runs here, so the runtime stage of the Dockerfile is replayed outside one: its
// COPY lines into a fresh directory, its install RUN (offline, from the local pnpm store), then
// its CMD against a ClickHouse server (the HTTP shim). What this shows: the image's production
// dependencies are enough to run the collector, and the embedded engine is not among them.
const run = promisify(execFile)
const ROOT = path.resolve(import.meta.dirname, '..')
const API_KEY = `am_image_${Date.now().toString(36)}`

let app: string
let shim: ClickHouseShim
let shimDir: string

function runtimeStage(): string[] {
  const lines = fs
    .readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
  return lines.slice(lines.findLastIndex((line) => line.startsWith('FROM ')) + 1)
}

beforeAll(async () => {
  app = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-image-'))
  for (const line of runtimeStage()) {
    const copy = /^COPY (?:--from=build )?(.+) (\S+)$/.exec(line)
    if (!copy) continue
    const destination = path.join(app, copy[2]!)
    for (const source of copy[1]!.split(' ')) {
      // From the build stage comes the built dashboard; an empty one stands in for it.
      const from = path.join(ROOT, source.replace(/^\/app\//, ''))
      if (source.includes('dashboard/dist')) fs.mkdirSync(destination, { recursive: true })
      else if (copy[2]!.endsWith('/')) {
        fs.mkdirSync(destination, { recursive: true })
        fs.cpSync(from, path.join(destination, path.basename(from)), { recursive: true })
      } else fs.cpSync(from, path.join(app, copy[2]!), { recursive: true })
    }
  }
  fs.copyFileSync(path.join(ROOT, '.npmrc'), path.join(app, '.npmrc'))
  const install = runtimeStage().find((line) => line.startsWith('RUN pnpm install'))!
  const [pnpmInstall, ...cleanup] = install.slice('RUN '.length).split(' && ')
  await run(
    'npx',
    ['-y', 'pnpm@10.34.9', ...pnpmInstall!.trim().split(/\s+/).slice(1), '--offline'],
    {
      cwd: app,
      timeout: 240_000,
    },
  )
  for (const command of cleanup) await run('sh', ['-c', command], { cwd: app })

  shimDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-image-store-'))
  shim = await startClickHouseShim({ path: shimDir })
}, 300_000)

afterAll(async () => {
  await shim?.close()
  for (const dir of [app, shimDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true })
})

describe('the image runtime stage, replayed without Docker', () => {
  it('should hold production dependencies only, without the embedded engine', () => {
    const installed = fs.readdirSync(path.join(app, 'node_modules/.pnpm'))
    expect(installed.filter((name) => /chdb/.test(name))).toEqual([])
    for (const dev of ['vitest', 'typescript', 'eslint', 'prettier', 'vite', 'playwright-core']) {
      expect(installed.filter((name) => name.startsWith(`${dev}@`))).toEqual([])
    }
    expect(installed.some((name) => name.startsWith('@clickhouse+client@'))).toBe(true)
  })

  it('should start from its CMD against a ClickHouse server and store spans', async () => {
    const cmd = JSON.parse(
      runtimeStage()
        .find((line) => line.startsWith('CMD '))!
        .slice(4),
    ) as string[]
    const child = spawn(process.execPath, [...cmd.slice(1), '--port', '0'], {
      cwd: app,
      env: {
        PATH: process.env.PATH,
        AGENTMETER_HOST: '127.0.0.1',
        AGENTMETER_CLICKHOUSE_URL: shim.url,
        AGENTMETER_INIT_PROJECT: 'image',
        AGENTMETER_INIT_API_KEY: API_KEY,
        AGENTMETER_LOG_LEVEL: 'warn',
      },
    })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = ''
        child.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString()
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
          if (match) resolve(match[1]!)
        })
        child.once('exit', (code) => reject(new Error(`the collector exited with ${code}`)))
      })
      expect((await fetch(`${url}/readyz`)).status).toBe(200)
      const start = new Date(Date.now() - 10_000)
      const root = taskRootSpan('image-1', 'image-task', start)
      const endpoint = { url, apiKey: API_KEY }
      await sendSpans(endpoint, [root, llmSpan('image-1', root.spanId, start, GPT4O_1000_500)])
      const response = await fetch(`${url}/api/v1/tasks/image-1`, {
        headers: { authorization: `Bearer ${API_KEY}` },
      })
      const body = (await response.json()) as { task: { costUsd: number; llmCalls: number } }
      expect(body.task).toMatchObject({ costUsd: 0.0075, llmCalls: 1 })
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
  })
})
