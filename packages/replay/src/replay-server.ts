import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

import { errorBody, readBody, writeBody } from './http-io'
import { resolveRecording } from './recordings'
import { createSynthesizer } from './synth'
import type { Synthesizer } from './synth'

/** Where the replay server listens. */
export interface ReplayServerOptions {
  /**
   * Loopback address to bind; anything else is refused.
   * @default '127.0.0.1'
   */
  host?: string
  /**
   * Port to bind; 0 picks a free one.
   * @default 0
   */
  port?: number
}

/** How to serve one queued recording. */
export interface EnqueueOptions {
  /** Write this many bytes of the body, then destroy the socket (a broken stream). */
  destroyAfterBytes?: number
  /**
   * HTTP status to answer with.
   * @default 200
   */
  status?: number
}

/** A request the server received. */
export interface ReplayRequest {
  method: string
  /** Request target as sent, query included (e.g. `/v1/messages?beta=true`). */
  path: string
  /** Parsed JSON body; the raw text when it was not JSON; undefined when empty. */
  body: unknown
}

/** A running loopback provider for the real `openai` and `@anthropic-ai/sdk` clients. */
export interface ReplayServer {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** `${url}/v1`, for `new OpenAI({ baseURL })`. */
  openaiBaseURL: string
  /** `url`, for `new Anthropic({ baseURL })`. */
  anthropicBaseURL: string
  /**
   * Serve this recording (a file name in `recordings/`, e.g. `openai-chat-basic.json`) to the
   * next request, whatever its route. Queued recordings are served first in, first out; with
   * none queued, the server synthesizes an answer.
   * @throws Error when the recording does not exist
   */
  enqueue(recording: string, options?: EnqueueOptions): void
  /** Requests received (method, path, parsed JSON body), for assertions. */
  readonly requests: ReadonlyArray<ReplayRequest>
  /** Stop listening and drop open connections. */
  close(): Promise<void>
}

interface QueuedRecording {
  name: string
  body: Buffer
  options: EnqueueOptions
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '::1', 'localhost'])

/**
 * Start a replay provider on loopback. Routes: `POST /v1/chat/completions`, `POST /v1/responses`
 * and `POST /v1/messages`. Each request gets the next queued recording if there is one, or else a
 * deterministic synthesized response (see `synth/`) with usage computed from the request.
 */
export async function startReplayServer(options: ReplayServerOptions = {}): Promise<ReplayServer> {
  const { host = '127.0.0.1', port = 0 } = options
  if (!LOOPBACK_HOSTS.has(host)) {
    throw new Error(`replay server host "${host}" refused: expected 127.0.0.1, ::1 or localhost`)
  }

  const queue: QueuedRecording[] = []
  const requests: ReplayRequest[] = []
  const synthesize = createSynthesizer()
  const server = createServer((request, response) => {
    handle(request, response, { queue, requests, synthesize }).catch(() => {
      // Reading the request failed (the client went away, or sent too much): nobody to answer.
      response.destroy()
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
  const address = server.address() as AddressInfo
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `http://${shownHost}:${address.port}`

  return {
    url,
    openaiBaseURL: `${url}/v1`,
    anthropicBaseURL: url,
    enqueue(recording, enqueueOptions = {}) {
      const body = readFileSync(resolveRecording(recording))
      queue.push({ name: recording, body, options: enqueueOptions })
    },
    get requests() {
      return requests
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      }),
  }
}

interface ServerState {
  queue: QueuedRecording[]
  requests: ReplayRequest[]
  synthesize: Synthesizer
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  state: ServerState,
): Promise<void> {
  const method = request.method ?? 'GET'
  const path = request.url ?? '/'
  const body = await readBody(request)
  state.requests.push({ method, path, body })

  const queued = state.queue.shift()
  if (queued !== undefined) {
    const contentType = queued.name.endsWith('.sse') ? 'text/event-stream' : 'application/json'
    await writeBody(response, queued.body, {
      status: queued.options.status ?? 200,
      contentType,
      destroyAfterBytes: queued.options.destroyAfterBytes,
    })
    return
  }

  const pathname = new URL(path, 'http://replay').pathname
  if (method === 'POST' && (body === null || typeof body !== 'object')) {
    const message = `replay server expected a JSON object body on ${method} ${pathname}`
    await writeError(response, 400, 'invalid_request_error', message)
    return
  }
  let synthesized
  try {
    synthesized = method === 'POST' ? state.synthesize(pathname, body) : undefined
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    await writeError(response, 500, 'api_error', `replay server failed to synthesize: ${reason}`)
    return
  }
  if (synthesized === undefined) {
    const message = `replay server has no recording queued and no route for ${method} ${pathname}`
    await writeError(response, 404, 'not_found_error', message)
    return
  }
  await writeBody(response, Buffer.from(synthesized.body), {
    status: 200,
    contentType: synthesized.contentType,
  })
}

function writeError(
  response: ServerResponse,
  status: number,
  type: string,
  message: string,
): Promise<void> {
  return writeBody(response, errorBody(type, message), { status, contentType: 'application/json' })
}
