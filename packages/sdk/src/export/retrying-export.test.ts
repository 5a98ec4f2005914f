import { spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { decodeTraceRequest } from '@agentmeter/collector'
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base'
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  startStandInCollector,
  type StandInAnswer,
  type StandInCollector,
} from '../test-support/stand-in-collector'
import { BoundedBatchSpanProcessor, type BoundedBatchOptions } from './bounded-batch-processor'
import { SlicedOtlpTraceExporter } from './sliced-otlp-exporter'

/**
 * A batch whose export failed for a retryable reason is sent again, from the export side only,
 * within the queue bound and the maximum retry age; other failures are not retried. The
 * exporter is the SDK's own, against a loopback stand-in collector.
 */
const cleanups: Array<() => Promise<void>> = []

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!()
})

async function collector(answer: StandInAnswer): Promise<StandInCollector> {
  const started = await startStandInCollector(answer)
  cleanups.push(() => started.down())
  return started
}

function setup(url: string, options: BoundedBatchOptions) {
  const processor = new BoundedBatchSpanProcessor(
    new SlicedOtlpTraceExporter({ url, timeoutMillis: 1000 }),
    { scheduledDelayMillis: 10, exportTimeoutMillis: 1000, ...options },
  )
  const provider = new BasicTracerProvider({ spanProcessors: [processor] })
  cleanups.push(() => provider.shutdown().catch(() => {}))
  const tracer = provider.getTracer('retry-test')
  let next = 0
  const endSpans = (count: number) => {
    for (let i = 0; i < count; i++) tracer.startSpan(`call ${next++}`).end()
  }
  return { processor, endSpans }
}

async function until(condition: () => boolean, timeoutMillis = 10_000): Promise<void> {
  const stopAt = Date.now() + timeoutMillis
  while (!condition()) {
    if (Date.now() > stopAt) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

function deliveredNames(stand: StandInCollector): string[] {
  return stand.accepted.flatMap((body) =>
    decodeTraceRequest(new Uint8Array(body), 'application/x-protobuf').spans.map((s) => s.name),
  )
}

const names = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `call ${from + i}`)

describe('retrying exports', () => {
  it('should deliver every span once the collector listens again on the same port', async () => {
    const stand = await collector('ok')
    await stand.down()
    const { processor, endSpans } = setup(stand.url, { maxQueueSize: 100, maxBatchSize: 10 })
    endSpans(10)
    await until(() => processor.stats().retryingSpans === 10)
    // Spans ended while it is down wait behind the batch being retried.
    endSpans(15)
    await stand.up()
    await until(() => processor.stats().exportedSpans === 25)
    expect(deliveredNames(stand)).toEqual(names(0, 25))
    expect(processor.stats()).toMatchObject({
      queuedSpans: 0,
      retryingSpans: 0,
      droppedSpans: 0,
      failedSpans: 0,
    })
    expect(processor.stats().retriedExports).toBeGreaterThanOrEqual(1)
  })

  it("should wait for the collector's Retry-After before sending again", async () => {
    const stand = await collector('busy')
    const { processor, endSpans } = setup(stand.url, { maxQueueSize: 100, maxBatchSize: 5 })
    endSpans(5)
    await until(() => stand.arrivals.length === 1)
    stand.answer = 'ok'
    await until(() => processor.stats().exportedSpans === 5)
    expect(stand.arrivals).toHaveLength(2)
    // Retry-After: 1 (the timer may round a millisecond down).
    expect(stand.arrivals[1]! - stand.arrivals[0]!).toBeGreaterThanOrEqual(999)
    expect(deliveredNames(stand)).toEqual(names(0, 5))
    expect(processor.stats()).toMatchObject({ retriedExports: 1, failedSpans: 0 })
  })

  it('should give a batch up as retry_expired after the maximum retry age', async () => {
    const stand = await collector('busy')
    const { processor, endSpans } = setup(stand.url, {
      maxQueueSize: 100,
      maxBatchSize: 5,
      maxRetryAgeMillis: 1500,
    })
    endSpans(5)
    // Sent at 0 and 1 s (Retry-After: 1); a third try at 2 s would be past 1.5 s.
    await until(() => processor.stats().failedSpans === 5)
    expect(stand.arrivals).toHaveLength(2)
    expect(processor.stats()).toMatchObject({
      queuedSpans: 0,
      retriedExports: 1,
      failedSpans: 5,
      lostByReason: { retry_expired: 5, gave_up: 0, queue_full: 0 },
    })
  })

  it('should not retry at all with a maximum retry age of 0', async () => {
    const stand = await collector('busy')
    const { processor, endSpans } = setup(stand.url, {
      maxQueueSize: 100,
      maxBatchSize: 5,
      maxRetryAgeMillis: 0,
    })
    endSpans(5)
    await until(() => processor.stats().failedSpans === 5)
    expect(stand.arrivals).toHaveLength(1)
    expect(processor.stats().lostByReason.retry_expired).toBe(5)
  })

  it('should drop a rejected batch (4xx) at once, count it and say so once on stderr', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    cleanups.push(async () => warn.mockRestore())
    const stand = await collector('bad')
    const { processor, endSpans } = setup(stand.url, {
      maxQueueSize: 100,
      maxBatchSize: 10,
      endpoint: stand.url,
    })
    endSpans(20)
    await until(() => processor.stats().failedSpans === 20)
    await processor.forceFlush()
    expect(stand.arrivals).toHaveLength(2)
    expect(processor.stats()).toMatchObject({
      queuedSpans: 0,
      retriedExports: 0,
      failedSpans: 20,
      lostByReason: { rejected: 20, export_failed: 0, retry_expired: 0, gave_up: 0 },
    })
    expect(warn.mock.calls).toEqual([
      [
        `agentmeter: the collector at ${stand.url} rejected a batch of 10 spans (HTTP 400); rejected batches are dropped, not retried, and counted in stats().lostByReason.rejected`,
      ],
    ])
  })

  it('should count a batch waiting for its retry in the queue bound, and drop it first when full', async () => {
    const stand = await collector('ok')
    await stand.down()
    const { processor, endSpans } = setup(stand.url, { maxQueueSize: 20, maxBatchSize: 10 })
    endSpans(10)
    await until(() => processor.stats().retryingSpans === 10)
    // 10 fit beside the waiting batch; the 11th needs room, and the oldest spans make it.
    endSpans(15)
    expect(processor.stats()).toMatchObject({
      queuedSpans: 15,
      retryingSpans: 0,
      droppedSpans: 10,
      lostByReason: { queue_full: 10 },
    })
    await stand.up()
    await until(() => processor.stats().exportedSpans === 15)
    expect(deliveredNames(stand)).toEqual(names(10, 15))
  })

  it('should give up on what waits for a retry at shutdown, after one more try', async () => {
    const stand = await collector('ok')
    await stand.down()
    const { processor, endSpans } = setup(stand.url, { maxQueueSize: 100, maxBatchSize: 10 })
    endSpans(10)
    await until(() => processor.stats().retryingSpans === 10)
    endSpans(5)
    await processor.shutdown()
    expect(processor.stats()).toMatchObject({
      queuedSpans: 0,
      exportedSpans: 0,
      failedSpans: 15,
      retriedExports: 1,
      lostByReason: { gave_up: 15, retry_expired: 0 },
    })
  })
})

describe('retries and the host process', () => {
  it('should not keep a process alive that ends with a batch waiting for its retry', async () => {
    const stand = await collector('ok')
    await stand.down()
    const root = path.resolve(import.meta.dirname, '../../../..')
    const loader = pathToFileURL(
      createRequire(path.join(root, 'apps/collector/package.json')).resolve('tsx/esm'),
    ).href
    const script = path.join(import.meta.dirname, '../test-support/exit-while-retrying.ts')
    const started = Date.now()
    const child = spawn(process.execPath, ['--import', loader, script, stand.url], {
      env: { ...process.env, AGENTMETER_EXPORT_RETRY_MAX_AGE_MS: '60000' },
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    expect({ code, output }).toMatchObject({ code: 0 })
    // It had a batch waiting for a retry up to 60 s away, and exited on its own well before.
    expect(JSON.parse(output.trim().split('\n').at(-1)!)).toMatchObject({
      retryingSpans: 1,
      exportedSpans: 0,
    })
    expect(Date.now() - started).toBeLessThan(30_000)
  })
})
