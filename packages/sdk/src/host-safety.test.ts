import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { init, type AgentmeterHandle } from './init'
import { instrumentOpenAI } from './openai/instrument'
import { startTestProvider, type TestProvider } from './test-support/provider-server'
import { readRecording } from './test-support/recordings'

// The SDK never hurts its host: with the collector slow, answering 500 or down, every call
// returns what the provider sent, nothing throws, the queue stays within its bound and every
// span that does not reach the collector is counted. (Latency is measured in `pnpm bench sdk`.)
// The queue bound, export timeout and retry age are small here so that each case takes a few
// seconds.

const MAX_QUEUE = 64
const MAX_BATCH = 32

type Behaviour = 'slow' | 'error'

/** A stand-in collector whose answers the tests switch: hang for 10 s, or 500. */
async function startCollector() {
  const state = { behaviour: 'slow' as Behaviour, received: 0 }
  const held: ServerResponse[] = []
  const server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      state.received++
      if (state.behaviour === 'error') response.writeHead(500).end()
      else held.push(response)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    /** Stops listening: from now on the collector is down. */
    stop() {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
    heldCount: () => held.length,
  }
}

let collector: Awaited<ReturnType<typeof startCollector>>
let provider: TestProvider
let handle: AgentmeterHandle
let client: OpenAI
const recording = readRecording('openai-chat-basic.json')

beforeAll(async () => {
  collector = await startCollector()
  provider = await startTestProvider()
  process.env['OTEL_BSP_MAX_QUEUE_SIZE'] = String(MAX_QUEUE)
  process.env['OTEL_BSP_MAX_EXPORT_BATCH_SIZE'] = String(MAX_BATCH)
  process.env['OTEL_BSP_EXPORT_TIMEOUT'] = '1000'
  process.env['AGENTMETER_EXPORT_RETRY_MAX_AGE_MS'] = '2000'
  handle = init({ endpoint: collector.url, serviceName: 'host-safety', exportIntervalMillis: 20 })
  client = instrumentOpenAI(
    new OpenAI({ apiKey: 'test-key', baseURL: `${provider.url}/v1`, maxRetries: 0 }),
  )
})

afterAll(async () => {
  await provider.close()
  await handle.shutdown()
})

/**
 * Makes `count` chat calls, `parallel` at a time, and checks each returns the recorded body.
 * Returns the largest queue seen after a call.
 */
async function callsReturnTheProviderAnswer(count: number, parallel = 1): Promise<number> {
  let maxQueued = 0
  for (let start = 0; start < count; start += parallel) {
    const wave = Array.from({ length: Math.min(parallel, count - start) }, async (_, offset) => {
      provider.serve('openai-chat-basic.json')
      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: `question ${start + offset}` }],
      })
      expect(JSON.parse(JSON.stringify(completion))).toEqual(recording)
      maxQueued = Math.max(maxQueued, handle.stats().queuedSpans)
    })
    await Promise.all(wave)
  }
  return maxQueued
}

/** Every span ended so far: in the queue, exported, dropped or failed (none in flight). */
function accounted(): number {
  const stats = handle.stats()
  return stats.queuedSpans + stats.exportedSpans + stats.droppedSpans + stats.failedSpans
}

async function until(condition: () => boolean, timeoutMillis = 5000): Promise<void> {
  const stopAt = Date.now() + timeoutMillis
  while (!condition()) {
    if (Date.now() > stopAt) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

describe('the SDK with an unhealthy collector', () => {
  it('keeps its queue bounded and counts drops while the collector hangs for 10 s', async () => {
    collector.state.behaviour = 'slow'
    const calls = 300
    // Calls end faster than one hung export per second lets spans out: the queue fills.
    const maxQueued = await callsReturnTheProviderAnswer(calls, 100)
    // An export yields between its slices and sends from a turn of its own, so on a loaded
    // machine the first one may still be on its way to the collector when the calls are done.
    await until(() => collector.heldCount() >= 1)

    const stats = handle.stats()
    expect(stats.exportedSpans).toBe(0)
    expect(maxQueued).toBeLessThanOrEqual(MAX_QUEUE)
    expect(stats.droppedSpans).toBeGreaterThan(0)
    // Each hung export gives up at its timeout and its batch is retried (a timeout is
    // retryable) until the 2 s retry age has passed; then its spans are counted as lost, so
    // every span ends up counted exactly once. How many spans the first hung export held depends
    // on how many had ended when the export timer fired (on a loaded machine, fewer than a full
    // batch), so the count is only known to be positive and at most a batch per export.
    await until(() => accounted() === calls && handle.stats().failedSpans > 0, 15_000)
    const failed = handle.stats().failedSpans
    expect(failed).toBeGreaterThan(0)
    expect(failed).toBeLessThanOrEqual(MAX_BATCH * collector.heldCount())
    expect(handle.stats().lostByReason.retry_expired).toBe(failed)
  })

  it('counts every span of exports the collector answers with 500', async () => {
    collector.state.behaviour = 'error'
    await handle.forceFlush()
    const before = handle.stats()
    const received = collector.state.received

    await callsReturnTheProviderAnswer(40)
    await handle.forceFlush()

    const after = handle.stats()
    expect(collector.state.received).toBeGreaterThan(received)
    expect(after.queuedSpans).toBe(0)
    expect(after.exportedSpans).toBe(before.exportedSpans)
    expect(after.failedSpans - before.failedSpans + after.droppedSpans - before.droppedSpans).toBe(
      40,
    )
    expect(after.failedSpans).toBeGreaterThan(before.failedSpans)
  })

  it('counts every span as lost while nothing listens at the endpoint', async () => {
    await collector.stop()
    const before = handle.stats()

    await callsReturnTheProviderAnswer(40)
    await handle.forceFlush()

    const after = handle.stats()
    expect(after.queuedSpans).toBe(0)
    expect(after.exportedSpans).toBe(before.exportedSpans)
    expect(after.failedSpans - before.failedSpans + after.droppedSpans - before.droppedSpans).toBe(
      40,
    )
    expect(after.failedSpans).toBeGreaterThan(before.failedSpans)
  })
})
