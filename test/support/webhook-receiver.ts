import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ReceivedRequest {
  path: string
  headers: http.IncomingHttpHeaders
  body: string
  /** The status this receiver answered. */
  status: number
  receivedAt: number
}

export interface WebhookReceiver {
  /** Base URL, e.g. http://127.0.0.1:40123; give each rule its own path under it. */
  url: string
  requests: ReceivedRequest[]
  /** Requests to a path that were answered 2xx. */
  accepted(path: string): ReceivedRequest[]
  /** Answer the next `count` requests to `path` with `status` (then 200 again). */
  failNext(path: string, count: number, status?: number): void
  /** Resolves once `path` has accepted `count` requests; rejects after `timeoutMillis`. */
  waitFor(path: string, count: number, timeoutMillis?: number): Promise<ReceivedRequest[]>
  close(): Promise<void>
}

/** A webhook receiver on 127.0.0.1 (port chosen by the OS) that records every request. */
export async function createTestWebhookReceiver(): Promise<WebhookReceiver> {
  const requests: ReceivedRequest[] = []
  const failures = new Map<string, { count: number; status: number }>()
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const path = request.url ?? '/'
      const failure = failures.get(path)
      let status = 200
      if (failure && failure.count > 0) {
        failure.count -= 1
        status = failure.status
      }
      requests.push({
        path,
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        status,
        receivedAt: Date.now(),
      })
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'no')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const accepted = (path: string) =>
    requests.filter((request) => request.path === path && request.status < 300)

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    accepted,
    failNext(path, count, status = 500) {
      failures.set(path, { count, status })
    },
    async waitFor(path, count, timeoutMillis = 15_000) {
      const deadline = Date.now() + timeoutMillis
      while (accepted(path).length < count) {
        if (Date.now() > deadline) {
          throw new Error(
            `${path} accepted ${accepted(path).length} of ${count} requests within ${timeoutMillis} ms`,
          )
        }
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      return accepted(path)
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
