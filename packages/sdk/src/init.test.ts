import { createServer, type IncomingHttpHeaders } from 'node:http'
import { createRequire } from 'node:module'
import type { AddressInfo } from 'node:net'
import type * as AnthropicModule from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import type * as OpenAIModule from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { init, type AgentmeterHandle } from './init'
import { isWrapped } from './patch'
import { task } from './task'
import { tool } from './tool'

interface ReceivedExport {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: Buffer
}

/** A stand-in collector on loopback that keeps every OTLP request it gets. */
async function startCollector() {
  const received: ReceivedExport[] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      received.push({
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks),
      })
      response.writeHead(200, { 'content-type': 'application/x-protobuf' })
      response.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => {
      server.closeAllConnections()
      return new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

let collector: Awaited<ReturnType<typeof startCollector>>
let handle: AgentmeterHandle

beforeAll(async () => {
  collector = await startCollector()
  process.env['OTEL_EXPORTER_OTLP_HEADERS'] = 'x-extra-header=from-env'
  handle = init({
    endpoint: collector.url,
    apiKey: 'am_test_key',
    serviceName: 'init-test-service',
    exportIntervalMillis: 60_000,
  })
})
afterAll(async () => {
  await handle.shutdown()
  await collector.close()
  delete process.env['OTEL_EXPORTER_OTLP_HEADERS']
})

describe('init()', () => {
  it('should send batched spans as OTLP protobuf to /v1/traces with the Bearer key', async () => {
    await task('init-check', () => tool('noop', null, () => 1))
    expect(collector.received).toHaveLength(0)

    await handle.forceFlush()

    expect(collector.received).toHaveLength(1)
    const [request] = collector.received
    expect(request?.method).toBe('POST')
    expect(request?.url).toBe('/v1/traces')
    expect(request?.headers['authorization']).toBe('Bearer am_test_key')
    expect(request?.headers['x-extra-header']).toBe('from-env')
    expect(request?.headers['content-type']).toBe('application/x-protobuf')
    const body = request?.body ?? Buffer.alloc(0)
    // Protobuf keeps strings as UTF-8 bytes: the span names and the service name are in the body.
    for (const text of [
      'task init-check',
      'execute_tool noop',
      'init-test-service',
      'agentmeter.task.id',
    ]) {
      expect(body.includes(Buffer.from(text))).toBe(true)
    }
    expect(body.subarray(0, 1).toString('utf8')).not.toBe('{')
  })

  it('should patch both builds of the installed client modules', () => {
    expect(isWrapped(OpenAI.Chat.Completions.prototype.create)).toBe(true)
    expect(isWrapped(OpenAI.Responses.prototype.create)).toBe(true)
    const require = createRequire(import.meta.url)
    const commonJs = require('openai') as typeof OpenAIModule
    expect(commonJs.OpenAI).not.toBe(OpenAI)
    expect(isWrapped(commonJs.OpenAI.Chat.Completions.prototype.create)).toBe(true)
    const anthropic = require('@anthropic-ai/sdk') as typeof AnthropicModule
    expect(isWrapped(anthropic.Anthropic.Messages.prototype.create)).toBe(true)
    expect(isWrapped(anthropic.Anthropic.Messages.prototype.stream)).toBe(true)
  })

  it('should return the first handle when called again', () => {
    expect(init({ endpoint: 'http://127.0.0.1:1' })).toBe(handle)
  })
})
