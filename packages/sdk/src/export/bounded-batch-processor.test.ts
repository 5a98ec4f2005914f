import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { BoundedBatchSpanProcessor } from './bounded-batch-processor'
import type { ExportStats } from './export-stats'
import { SlicedOtlpTraceExporter } from './sliced-otlp-exporter'

/**
 * The SDK must never hurt its host: with the collector down, hanging or failing, ending a span
 * stays a synchronous push, memory stays bounded by the queue, and every span that could not be
 * delivered is counted. These tests use the SDK's own OTLP exporter against loopback servers.
 */
type Behaviour = 'ok' | 'error' | 'hang' | 'refuse' | 'bad' | 'busy'

const NO_LOSS = { queue_full: 0, rejected: 0, export_failed: 0, retry_expired: 0, gave_up: 0 }

/** Stats with nothing lost, nothing waiting, unless said otherwise. */
function stats(changes: Partial<ExportStats>): ExportStats {
  return {
    queuedSpans: 0,
    exportedSpans: 0,
    droppedSpans: 0,
    failedSpans: 0,
    retryingSpans: 0,
    retriedExports: 0,
    ...changes,
    lostByReason: { ...NO_LOSS, ...changes.lostByReason },
  }
}

interface TestCollector {
  url: string
  requests: number
  close(): Promise<void>
}

const open: Array<{ close(): Promise<void> }> = []

afterEach(async () => {
  while (open.length > 0) await open.pop()!.close()
})

async function startCollector(behaviour: Behaviour): Promise<TestCollector> {
  const hanging: http.ServerResponse[] = []
  const state = { requests: 0 }
  const server = http.createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      state.requests++
      if (behaviour === 'hang') return void hanging.push(response)
      const status = { ok: 200, error: 500, refuse: 401, bad: 400, busy: 503 }[behaviour]
      response.writeHead(status, {
        'content-type': 'application/x-protobuf',
        ...(behaviour === 'busy' ? { 'retry-after': '1' } : {}),
      })
      response.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const collector = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`,
    get requests() {
      return state.requests
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of hanging) response.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  open.push(collector)
  return collector
}

function setup(url: string, options: ConstructorParameters<typeof BoundedBatchSpanProcessor>[1]) {
  const processor = new BoundedBatchSpanProcessor(
    new SlicedOtlpTraceExporter({ url, timeoutMillis: 500 }),
    options,
  )
  const provider = new BasicTracerProvider({ spanProcessors: [processor] })
  open.push({ close: () => provider.shutdown().catch(() => {}) })
  const tracer = provider.getTracer('resilience-test')
  const endSpans = (count: number) => {
    for (let i = 0; i < count; i++) tracer.startSpan(`call ${i}`).end()
  }
  return { processor, endSpans }
}

describe('BoundedBatchSpanProcessor', () => {
  it('should deliver every span to a healthy collector and count them', async () => {
    const collector = await startCollector('ok')
    const { processor, endSpans } = setup(collector.url, { maxQueueSize: 100, maxBatchSize: 10 })
    endSpans(35)
    await processor.forceFlush()
    expect(processor.stats()).toEqual(stats({ exportedSpans: 35 }))
    expect(collector.requests).toBe(4)
  })

  it('should keep at most the queue size in memory and count the rest as dropped when the collector hangs', async () => {
    const collector = await startCollector('hang')
    const { processor, endSpans } = setup(collector.url, {
      maxQueueSize: 50,
      maxBatchSize: 10,
      exportTimeoutMillis: 60_000,
    })
    endSpans(10)
    // The first full batch leaves on the next tick and then hangs; nothing else is sent.
    await new Promise((resolve) => setTimeout(resolve, 100))
    endSpans(1000)
    expect(processor.stats()).toEqual(
      stats({ queuedSpans: 50, droppedSpans: 950, lostByReason: { ...NO_LOSS, queue_full: 950 } }),
    )
    expect(collector.requests).toBe(1)
  })

  it('should count spans of exports answered 500 as lost, without retrying, and keep going', async () => {
    const collector = await startCollector('error')
    const { processor, endSpans } = setup(collector.url, { maxQueueSize: 100, maxBatchSize: 20 })
    endSpans(40)
    await processor.forceFlush()
    expect(processor.stats()).toEqual(
      stats({ failedSpans: 40, lostByReason: { ...NO_LOSS, export_failed: 40 } }),
    )
    expect(collector.requests).toBe(2)
  })

  it('should say once, on stderr, that the collector refused the key', async () => {
    // No diag logger is registered in an app that only called init(): a wrong key would
    // otherwise look like an empty dashboard.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const collector = await startCollector('refuse')
      const { processor, endSpans } = setup(collector.url, {
        maxQueueSize: 100,
        maxBatchSize: 10,
        endpoint: collector.url,
      })
      endSpans(30)
      await processor.forceFlush()
      expect(processor.stats()).toEqual(
        stats({ failedSpans: 30, lostByReason: { ...NO_LOSS, rejected: 30 } }),
      )
      expect(collector.requests).toBe(3)
      expect(warn.mock.calls).toEqual([
        [
          `agentmeter: the collector at ${collector.url} refused the API key (HTTP 401); spans are not stored until AGENTMETER_API_KEY holds a key with the ingest scope`,
        ],
      ])
    } finally {
      warn.mockRestore()
    }
  })

  it('should count spans as given up when nothing listens at a flush, and end spans synchronously meanwhile', async () => {
    const collector = await startCollector('ok')
    const url = collector.url
    await collector.close()
    open.pop()
    const { processor, endSpans } = setup(url, { maxQueueSize: 100, maxBatchSize: 25 })
    endSpans(50)
    // Ending spans returned before any export ran: they are all still queued or in flight.
    expect(processor.stats().exportedSpans + processor.stats().failedSpans).toBe(0)
    // The flush sends both batches at once (the timer had not fired), each once: connection
    // refused, and a flush does not wait for a retry.
    await processor.forceFlush()
    expect(processor.stats()).toEqual(
      stats({ failedSpans: 50, lostByReason: { ...NO_LOSS, gave_up: 50 } }),
    )
  })

  it('should give up on an export that outlives its timeout', async () => {
    const collector = await startCollector('hang')
    const { processor, endSpans } = setup(collector.url, {
      maxQueueSize: 100,
      maxBatchSize: 5,
      exportTimeoutMillis: 200,
    })
    endSpans(5)
    await processor.forceFlush()
    expect(processor.stats()).toEqual(
      stats({ failedSpans: 5, lostByReason: { ...NO_LOSS, gave_up: 5 } }),
    )
    expect(collector.requests).toBe(1)
  })
})
