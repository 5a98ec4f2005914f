import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decodeTraceRequest } from '@agentmeter/collector'
import { resourceFromAttributes } from '@opentelemetry/resources'
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SlicedOtlpTraceExporter } from './sliced-otlp-exporter'

// The sliced exporter's concatenated slices must be one OTLP request that a collector decodes
// into exactly the spans of the batch, in order, with their attributes and resource.

const bodies: Buffer[] = []
const headers: (string | string[] | undefined)[] = []
const server = createServer((request, response) => {
  const chunks: Buffer[] = []
  headers.push(request.headers['x-test'])
  request.on('data', (chunk: Buffer) => chunks.push(chunk))
  request.on('end', () => {
    bodies.push(Buffer.concat(chunks))
    response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end()
  })
})
let url = ''

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

function endedSpans(count: number) {
  const memory = new InMemorySpanExporter()
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': 'sliced-test' }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  })
  const tracer = provider.getTracer('sliced-test')
  for (let i = 0; i < count; i++) {
    tracer
      .startSpan(`span ${i}`, {
        attributes: {
          'gen_ai.usage.input_tokens': i,
          'agentmeter.prompt.prefix_hashes': [`${i}`.padStart(16, '0'), 'ffffffffffffffff'],
        },
      })
      .end()
  }
  return memory.getFinishedSpans()
}

describe('SlicedOtlpTraceExporter', () => {
  it('should send a batch encoded in slices as one request of every span, in order', async () => {
    const spans = endedSpans(300)
    const exporter = new SlicedOtlpTraceExporter({ url, headers: { 'x-test': 'sliced' } })
    const result = await new Promise<{ code: number }>((resolve) => exporter.export(spans, resolve))
    expect(result.code).toBe(0)
    expect(bodies).toHaveLength(1)
    expect(headers).toEqual(['sliced'])

    const decoded = decodeTraceRequest(new Uint8Array(bodies[0]!), 'application/x-protobuf')
    expect(decoded.rejected).toEqual([])
    expect(decoded.spans.map((span) => span.name)).toEqual(spans.map((span) => span.name))
    expect(decoded.spans.map((span) => span.spanId)).toEqual(
      spans.map((span) => span.spanContext().spanId),
    )
    const last = decoded.spans[299]!
    expect(Number(last.attributes['gen_ai.usage.input_tokens'])).toBe(299)
    expect(last.attributes['agentmeter.prompt.prefix_hashes']).toEqual([
      '0000000000000299',
      'ffffffffffffffff',
    ])
    expect(last.resource['service.name']).toBe('sliced-test')
    await exporter.shutdown()
  })
})
