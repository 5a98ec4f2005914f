import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { init, task, type AgentmeterHandle } from '@agentmeter/sdk'
import { startReplayServer, type ReplayServer } from '@agentmeter/replay'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCollectorProcess, type CollectorProcess } from './support/collector-process'

/**
 * An instrumented agent (the real openai client against the replay provider, through init())
 * keeps calling while its collector is killed with SIGKILL, stays down for about 5 s and
 * restarts on the same port and data directory. The SDK retries the batches that failed, so
 * every span is stored, and stored once.
 */
const API_KEY = 'am_sdk_restart_key_0123456789abcdef'
const CALLS_PER_PHASE = 5
const OUTAGE_MILLIS = 5000
// openai-chat-basic.json: 22 input and 3 output tokens per call; a task span and a call span.
const INPUT_TOKENS = 22
const OUTPUT_TOKENS = 3

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-sdk-restart-'))
const env = {
  AGENTMETER_DATA_DIR: dataDir,
  AGENTMETER_INIT_PROJECT: 'sdk-restart',
  AGENTMETER_INIT_API_KEY: API_KEY,
  AGENTMETER_LOG_LEVEL: 'error',
}
let collector: CollectorProcess | undefined
let replay: ReplayServer
let handle: AgentmeterHandle
let openai: OpenAI

/** A loopback port free now, for a collector that must come back at the same address. */
async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}

async function until(condition: () => boolean, what: string, timeoutMillis: number) {
  const stopAt = Date.now() + timeoutMillis
  while (!condition()) {
    if (Date.now() > stopAt) throw new Error(`${what}: ${JSON.stringify(handle.stats())}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))

async function call(name: string): Promise<void> {
  replay.enqueue('openai-chat-basic.json')
  await task(name, async () => {
    const completion = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: name }],
    })
    expect(completion.usage).toMatchObject({ prompt_tokens: 22, completion_tokens: 3 })
  })
}

beforeAll(async () => {
  const port = await freePort()
  collector = await startCollectorProcess(env, { port })
  replay = await startReplayServer()
  handle = init({
    endpoint: collector.url,
    apiKey: API_KEY,
    serviceName: 'restart-agent',
    exportIntervalMillis: 100,
  })
  openai = new OpenAI({ apiKey: 'test', baseURL: replay.openaiBaseURL, maxRetries: 0 })
}, 120_000)

afterAll(async () => {
  await handle?.shutdown()
  await collector?.stop()
  await replay?.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('the SDK across a collector restart', () => {
  it('should store every span of calls made before, during and after the outage, once', async () => {
    const startedAt = Date.now()
    const url = collector!.url
    const port = Number(new URL(url).port)
    const names = (phase: string) =>
      Array.from({ length: CALLS_PER_PHASE }, (_, i) => `restart-${phase}-${i}`)

    for (const name of names('before')) await call(name)
    await until(
      () => handle.stats().exportedSpans === 10,
      'the first calls were not exported',
      30_000,
    )

    await collector!.kill()
    // One call a second while nothing listens: every export meanwhile is refused.
    for (const name of names('during')) {
      await call(name)
      await sleep(OUTAGE_MILLIS / CALLS_PER_PHASE)
    }
    expect(handle.stats().exportedSpans).toBe(10)
    expect(handle.stats().queuedSpans).toBe(10)
    expect(handle.stats().retryingSpans).toBeGreaterThan(0)

    collector = await startCollectorProcess(env, { port })
    expect(collector.url).toBe(url)
    for (const name of names('after')) await call(name)
    // Delivered by the retries alone: no flush, no shutdown.
    await until(() => handle.stats().exportedSpans === 30, 'not every span was exported', 90_000)

    const stats = handle.stats()
    expect(stats).toMatchObject({
      queuedSpans: 0,
      retryingSpans: 0,
      droppedSpans: 0,
      failedSpans: 0,
      lostByReason: { queue_full: 0, rejected: 0, export_failed: 0, retry_expired: 0, gave_up: 0 },
    })
    expect(stats.retriedExports).toBeGreaterThanOrEqual(1)

    const from = new Date(startedAt - 60_000).toISOString()
    const to = new Date(Date.now() + 60_000).toISOString()
    const response = await fetch(`${url}/api/v1/tasks?from=${from}&to=${to}&limit=100`, {
      headers: { authorization: `Bearer ${API_KEY}` },
    })
    expect(response.status).toBe(200)
    const { tasks } = (await response.json()) as {
      tasks: Array<{
        taskId: string
        name: string
        llmCalls: number
        inputTokens: number
        outputTokens: number
      }>
    }
    const expected = [...names('before'), ...names('during'), ...names('after')]
    expect(tasks.map((row) => row.name).sort()).toEqual([...expected].sort())
    for (const row of tasks) {
      expect(row).toMatchObject({
        llmCalls: 1,
        inputTokens: INPUT_TOKENS,
        outputTokens: OUTPUT_TOKENS,
      })
    }
    expect(tasks.reduce((sum, row) => sum + row.inputTokens, 0)).toBe(15 * INPUT_TOKENS)
    expect(tasks.reduce((sum, row) => sum + row.outputTokens, 0)).toBe(15 * OUTPUT_TOKENS)
    for (const row of tasks) {
      const detail = await fetch(`${url}/api/v1/tasks/${row.taskId}`, {
        headers: { authorization: `Bearer ${API_KEY}` },
      })
      const { spans } = (await detail.json()) as { spans: Array<{ kind: string; spanId: string }> }
      expect(spans.map((span) => span.kind).sort()).toEqual(['llm', 'task'])
      expect(new Set(spans.map((span) => span.spanId)).size).toBe(2)
    }
  }, 180_000)
})
