import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import {
  configureShadow,
  init,
  instrumentOpenAI,
  settleShadowCalls,
  shadowStats,
  step,
  task,
} from '@agentmeter/sdk'
import OpenAI from 'openai'
import { printTable } from './support/measure'
import { startReplayProcess } from './support/replay-process'

/**
 * What shadow mode costs the app: the latency of the app's own calls (a real OpenAI client
 * against the loopback replay provider, traced by the SDK) with shadow mode off, at a 5% share
 * and at 100% (every call copied, the worst case). Modes alternate batch by batch so machine
 * noise hits them alike; the ratios to "off" are the result. The replay provider runs in a child
 * process, as a real provider runs elsewhere: what is timed is the app's process, where the
 * copies' client work (request, parse, span) shares the event loop with the app's calls.
 *
 *   pnpm bench shadow [calls per mode, default 400]
 */
export async function run(args: string[]): Promise<void> {
  const callsPerMode = Number(args[0] ?? 400)
  const batch = 20
  const sink = await startDiscardCollector()
  const replay = await startReplayProcess()
  const sdk = init({ endpoint: sink.url, apiKey: 'bench-key', serviceName: 'bench-shadow' })
  const client = instrumentOpenAI(
    new OpenAI({ apiKey: 'sk-bench', baseURL: replay.openaiBaseURL, maxRetries: 0 }),
  )
  const messages = [{ role: 'user' as const, content: 'Classify: my parcel never arrived.' }]
  const modes: Array<{ name: string; share: number | null }> = [
    { name: 'off', share: null },
    { name: 'share 0.05', share: 0.05 },
    { name: 'share 1.0', share: 1 },
  ]
  const times = new Map(modes.map((mode) => [mode.name, [] as number[]]))

  try {
    for (let done = -batch; done < callsPerMode; done += batch) {
      for (const mode of modes) {
        configureShadow(
          mode.share === null
            ? undefined
            : { rules: [{ step: 'classify', model: 'gpt-4o-mini', share: mode.share }] },
        )
        const measured = await task('bench', () =>
          step('classify', async () => {
            const out: number[] = []
            for (let i = 0; i < batch; i++) {
              const start = performance.now()
              await client.chat.completions.create({ model: 'gpt-4o', messages })
              out.push(performance.now() - start)
            }
            return out
          }),
        )
        await settleShadowCalls()
        // The first round warms the JIT and the sockets up; it is not counted.
        if (done >= 0) times.get(mode.name)!.push(...measured)
      }
    }
  } finally {
    configureShadow(undefined)
    await sdk.shutdown()
    replay.close()
    await sink.close()
  }

  const base = percentile(times.get('off')!, 0.5)
  const rows = [['mode', 'calls', 'median ms', 'p95 ms', 'median / off']]
  for (const mode of modes) {
    const sample = times.get(mode.name)!
    const median = percentile(sample, 0.5)
    rows.push([
      mode.name,
      String(sample.length),
      median.toFixed(3),
      percentile(sample, 0.95).toFixed(3),
      (median / base).toFixed(3),
    ])
  }
  printTable(rows)
  const stats = shadowStats()
  console.log(
    `shadow calls: ${stats.sampled} drawn, ${stats.completed} completed, ${stats.dropped} dropped, ${stats.failed} failed`,
  )
}

function percentile(values: readonly number[], quantile: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil(quantile * sorted.length) - 1)] ?? Number.NaN
}

/** An OTLP endpoint that accepts and drops every export, so the SDK exports as it would. */
async function startDiscardCollector(): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/x-protobuf' })
      response.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections()
      return new Promise((resolve) => server.close(() => resolve()))
    },
  }
}
