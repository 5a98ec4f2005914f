import { createServer } from 'node:http'
import type { IncomingHttpHeaders, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { runDemo } from './run-demo'

interface OtlpRequest {
  path: string
  headers: IncomingHttpHeaders
  body: Buffer
}

// A stand-in collector: it accepts every OTLP export and keeps it for the assertions.
let collector: Server
let endpoint: string
const received: OtlpRequest[] = []

beforeAll(async () => {
  collector = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const raw = Buffer.concat(chunks)
      const gzip = req.headers['content-encoding'] === 'gzip'
      received.push({
        path: req.url ?? '',
        headers: req.headers,
        body: gzip ? gunzipSync(raw) : raw,
      })
      res.writeHead(200, { 'content-type': 'application/x-protobuf' })
      res.end()
    })
  })
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve))
  endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}`
})

afterAll(
  () => new Promise<void>((resolve, reject) => collector.close((e) => (e ? reject(e) : resolve()))),
)

describe('runDemo', () => {
  it('should run a seeded mix of every agent kind and export its traces with the key', async () => {
    const tasks: [string, boolean][] = []

    const summary = await runDemo({
      endpoint,
      apiKey: 'demo-test-key',
      tasks: 12,
      seed: 1,
      onTask: (name, ok) => tasks.push([name, ok]),
    })

    expect(summary).toEqual({ tasks: 12, failed: 4 })
    expect(tasks).toEqual([
      ['code-review', true],
      ['ticket-triage', true],
      ['research-report', true],
      ['ticket-triage', true],
      ['code-review', false],
      ['code-review', false],
      ['research-report', true],
      ['ticket-triage', true],
      ['ticket-triage', false],
      ['ticket-triage', false],
      ['code-review', true],
      ['ticket-triage', true],
    ])

    const traces = received.filter((r) => r.path === '/v1/traces')
    expect(traces.length).toBeGreaterThan(0)
    expect(traces.every((r) => r.headers.authorization === 'Bearer demo-test-key')).toBe(true)
    // OTLP protobuf keeps strings as plain UTF-8, so names can be found without decoding.
    const payload = Buffer.concat(traces.map((r) => r.body)).toString('utf8')
    for (const text of ['demo-agents', 'ticket-triage', 'research-report', 'code-review']) {
      expect(payload).toContain(text)
    }
  })
})
