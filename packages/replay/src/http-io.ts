import type { IncomingMessage, ServerResponse } from 'node:http'
import { setTimeout as sleep } from 'node:timers/promises'

// Large enough for any prompt a test sends; a bound so a runaway client cannot fill memory.
const MAX_REQUEST_BYTES = 32 * 1024 * 1024

// Event streams go out in this many writes with a pause between, so a client sees the first
// events before the last ones exist, as over a real connection.
const STREAM_WRITES = 4
const STREAM_PAUSE_MILLIS = 2

/** The request body parsed as JSON; the raw text when it is not JSON; undefined when empty. */
export async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    const buffer = chunk as Buffer
    size += buffer.length
    if (size > MAX_REQUEST_BYTES) {
      throw new Error(`request body over ${MAX_REQUEST_BYTES} bytes`)
    }
    chunks.push(buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  if (text === '') return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

/** How to write one response body. */
export interface WriteOptions {
  status: number
  contentType: string
  /** Write this many bytes of the body, then destroy the socket. */
  destroyAfterBytes?: number
}

/**
 * Write a body: JSON in one piece with a content length, event streams in a few paced writes.
 * With `destroyAfterBytes` the socket is destroyed after that many bytes, mid-body, the way a
 * dropped connection looks to a client.
 */
export async function writeBody(
  response: ServerResponse,
  body: Buffer,
  options: WriteOptions,
): Promise<void> {
  const streaming = options.contentType === 'text/event-stream'
  response.statusCode = options.status
  response.setHeader('content-type', options.contentType)
  if (streaming) response.setHeader('cache-control', 'no-cache')
  else response.setHeader('content-length', body.length)
  response.flushHeaders()

  const limit = Math.min(options.destroyAfterBytes ?? body.length, body.length)
  const writes = streaming ? STREAM_WRITES : 1
  const size = Math.max(1, Math.ceil(limit / writes))
  for (let offset = 0; offset < limit; offset += size) {
    if (offset > 0) await sleep(STREAM_PAUSE_MILLIS)
    if (response.destroyed) return
    response.write(body.subarray(offset, Math.min(offset + size, limit)))
  }

  if (options.destroyAfterBytes === undefined) {
    response.end()
    return
  }
  // Let the partial body leave the process before the connection drops.
  await sleep(STREAM_PAUSE_MILLIS)
  response.socket?.destroy()
  response.destroy()
}

/** A JSON error body both clients parse into their API error types. */
export function errorBody(type: string, message: string): Buffer {
  return Buffer.from(JSON.stringify({ type: 'error', error: { type, message } }))
}
