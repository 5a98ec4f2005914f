import { readFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** The recorded provider responses (see packages/replay/recordings/INDEX.md). */
const RECORDINGS = new URL('../../../replay/recordings/', import.meta.url)

/** How to serve the next response. */
export interface ServeOptions {
  /** HTTP status; the body is still the recording. @default 200 */
  status?: number
  /** Send this many SSE events, then destroy the socket (a provider failing mid-stream). */
  destroyAfterEvents?: number
  /**
   * Send this many SSE events, then keep the response open without sending more until the client
   * goes away (to tell a client that stopped reading from one that drained the body).
   */
  holdAfterEvents?: number
}

export interface ReceivedRequest {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

export interface TestProvider {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string
  /** Queues a recording (`.json` or `.sse`) as the response to the next request. */
  serve(file: string, options?: ServeOptions): void
  /** Queues a literal body: `json` is sent as application/json, `sse` event by event. */
  serveText(kind: 'json' | 'sse', text: string, options?: ServeOptions): void
  readonly requests: ReceivedRequest[]
  /** Resolves when the client has closed a held response, with the events it had been sent. */
  nextDisconnect(): Promise<number>
  close(): Promise<void>
}

interface Queued {
  kind: 'json' | 'sse'
  text: string
  options: ServeOptions
}

/**
 * A loopback HTTP server that answers each request with the next queued recording: `.json` as
 * `application/json`, `.sse` as `text/event-stream` event by event. For the SDK's tests only.
 */
export async function startTestProvider(): Promise<TestProvider> {
  const queue: Queued[] = []
  const requests: ReceivedRequest[] = []
  const disconnects: Array<(events: number) => void> = []

  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      requests.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      })
      const next = queue.shift()
      if (!next) {
        response.writeHead(500, { 'content-type': 'application/json' })
        response.end(JSON.stringify({ error: { message: 'no recording queued' } }))
        return
      }
      respond(next, response, (events) => disconnects.shift()?.(events))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    serve(file, options = {}) {
      const text = readFileSync(new URL(file, RECORDINGS), 'utf8')
      queue.push({ kind: file.endsWith('.sse') ? 'sse' : 'json', text, options })
    },
    serveText(kind, text, options = {}) {
      queue.push({ kind, text, options })
    },
    nextDisconnect() {
      return new Promise((resolve) => disconnects.push(resolve))
    },
    close() {
      server.closeAllConnections()
      return new Promise((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      )
    },
  }
}

function respond(
  { kind, text, options }: Queued,
  response: ServerResponse,
  onHeldClose: (events: number) => void,
): void {
  const status = options.status ?? 200
  if (kind === 'json') {
    response.writeHead(status, { 'content-type': 'application/json' })
    response.end(text)
    return
  }

  response.writeHead(status, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  const events = text.split(/\n\n/).filter((event) => event.trim() !== '')
  const limit = options.destroyAfterEvents ?? options.holdAfterEvents ?? events.length
  for (const event of events.slice(0, limit)) response.write(`${event}\n\n`)

  if (options.destroyAfterEvents !== undefined) {
    // Let the written events leave before the connection dies, as a real failure would.
    setTimeout(() => response.socket?.destroy(), 20)
  } else if (options.holdAfterEvents !== undefined) {
    response.on('close', () => onHeldClose(limit))
  } else {
    response.end()
  }
}
