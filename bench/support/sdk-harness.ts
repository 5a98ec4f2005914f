/**
 * What both SDK benchmark children share: a loopback OTLP sink standing in for the collector
 * (healthy, answering 500, hanging for 10 s, or down), `init()` of the real SDK pointed at it,
 * and the SDK started as an app starts it.
 */

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodeTraceRequest } from '@agentmeter/collector'
import type { OtlpSpan } from '@agentmeter/core'
import { init, type AgentmeterHandle } from '../../packages/sdk/src/index'

export type CollectorBehaviour = 'healthy' | 'error' | 'slow' | 'down'

export interface Sink {
  url: string
  /** The spans of every export received so far (healthy sink only). */
  spans: OtlpSpan[]
  /**
   * Whether the healthy sink decodes what it receives into `spans` (default true). Turned off,
   * it only reads and acknowledges each export: a sink in the measured process then adds no
   * decoding of its own to the export it is measuring.
   */
  decoding: boolean
  close(): Promise<void>
}

/** How long the `slow` collector holds each export before answering. */
const SLOW_MILLIS = 10_000

export async function startSink(behaviour: CollectorBehaviour): Promise<Sink> {
  const spans: OtlpSpan[] = []
  const state = { decoding: true }
  const held = new Set<NodeJS.Timeout>()
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      if (behaviour === 'error') {
        response.writeHead(500).end()
      } else if (behaviour === 'slow') {
        const timer = setTimeout(() => response.writeHead(200).end(), SLOW_MILLIS)
        held.add(timer)
      } else {
        if (state.decoding) {
          const body = Buffer.concat(chunks)
          spans.push(...decodeTraceRequest(body, 'application/x-protobuf').spans)
        }
        response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end()
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const close = async () => {
    for (const timer of held) clearTimeout(timer)
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
  // A collector that is down: the port was just free, and nothing listens on it any more.
  if (behaviour === 'down') await close()
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    get decoding() {
      return state.decoding
    },
    set decoding(value: boolean) {
      state.decoding = value
    },
    close: behaviour === 'down' ? async () => {} : close,
  }
}

/**
 * Starts the SDK the way an app does, with `init()`. The benchmark's clients are traced by
 * `instrumentOpenAI` / `instrumentAnthropic` on their instances, so plain clients of the same
 * classes beside them stay untraced for the baseline. That is why the bench imports the SDK's
 * `index` and not the package's `import` entry: that entry preloads the clients' ESM builds for
 * `init()` to patch their prototypes, which would trace the baseline's clients too.
 */
export function startSdk(
  endpoint: string,
  options: { hashKey?: string; exportIntervalMillis?: number },
): AgentmeterHandle {
  return init({ endpoint, serviceName: 'bench', ...options })
}
