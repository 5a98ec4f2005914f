import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createTestSpan,
  decodeProtobufResponse,
  jsonBody,
  protobufBody,
} from './support/otlp-spans'
import { createTestCollector, type TestCollector } from './support/test-collector'

/** A small cap, so that the limits can be tested with small bodies. */
const MAX_BODY_BYTES = 64 * 1024

let collector: TestCollector

beforeAll(async () => {
  collector = await createTestCollector({
    env: { AGENTMETER_MAX_BODY_BYTES: String(MAX_BODY_BYTES) },
  })
})

afterAll(async () => {
  await collector?.close()
})

function post(body: BodyInit, headers: Record<string, string>) {
  return fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${collector.apiKey}`, ...headers },
    body,
    duplex: 'half',
  } as RequestInit)
}

const PROTOBUF = { 'content-type': 'application/x-protobuf' }
const JSON_TYPE = { 'content-type': 'application/json' }

/** A protobuf request of a little over `bytes` bytes. */
function incompressibleBody(bytes: number, spanId: string) {
  return protobufBody([
    createTestSpan({
      traceId: 'e1'.repeat(16),
      spanId,
      name: 'upload',
      attributes: { blob: 'x'.repeat(bytes) },
    }),
  ])
}

describe('OTLP/HTTP body limits', () => {
  it('should answer 413 for an uncompressed body above the cap', async () => {
    const body = incompressibleBody(MAX_BODY_BYTES, '1000000000000001')
    const response = await post(body, PROTOBUF)
    expect(response.status).toBe(413)
    expect(response.headers.get('content-type')).toBe('application/x-protobuf')
  })

  it('should answer 413 for a small gzip body that inflates past the cap', async () => {
    const body = gzipSync(Buffer.alloc(MAX_BODY_BYTES * 4, 0x20))
    expect(body.byteLength).toBeLessThan(MAX_BODY_BYTES / 10)
    const response = await post(body, { ...JSON_TYPE, 'content-encoding': 'gzip' })
    expect(response.status).toBe(413)
    expect(((await response.json()) as { message: string }).message).toBe(
      `request body exceeds the limit of ${MAX_BODY_BYTES} bytes after gzip decompression`,
    )
  })

  it('should accept a gzip body larger than the cap whose content fits it', async () => {
    const overhead = incompressibleBody(60_000, '1000000000000002').byteLength - 60_000
    const body = incompressibleBody(MAX_BODY_BYTES - overhead - 4, '1000000000000002')
    expect(body.byteLength).toBe(MAX_BODY_BYTES - 4)
    // Level 0 stores the bytes as they are, so the gzip body is the content plus framing.
    const compressed = gzipSync(body, { level: 0 })
    expect(compressed.byteLength).toBeGreaterThan(MAX_BODY_BYTES)
    const response = await post(compressed, { ...PROTOBUF, 'content-encoding': 'gzip' })
    expect(response.status).toBe(200)
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array(0))
  })

  it('should answer 413 for a chunked body without Content-Length above the cap', async () => {
    const chunk = new Uint8Array(16 * 1024)
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= MAX_BODY_BYTES * 2) return controller.close()
        sent += chunk.byteLength
        controller.enqueue(chunk)
      },
    })
    const response = await post(stream, PROTOBUF)
    expect(response.status).toBe(413)
  })

  it('should answer 415 for an unsupported Content-Encoding', async () => {
    const response = await post('{}', { ...JSON_TYPE, 'content-encoding': 'br' })
    expect(response.status).toBe(415)
    expect(((await response.json()) as { message: string }).message).toContain('"br"')
  })
})

describe('OTLP/HTTP responses', () => {
  it('should answer empty requests with success in both encodings', async () => {
    for (const body of ['{}', '{"resourceSpans":[]}', '']) {
      const response = await post(body, JSON_TYPE)
      expect(response.status).toBe(200)
      expect(await response.json()).toEqual({})
    }
    const response = await post(new Uint8Array(0), PROTOBUF)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('application/x-protobuf')
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array(0))
  })

  it('should keep the good spans and report the rejected one, in JSON', async () => {
    const traceId = 'e2'.repeat(16)
    const body = JSON.stringify({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId,
                  spanId: '2000000000000001',
                  name: 'kept',
                  attributes: [
                    { key: 'gen_ai.operation.name', value: { stringValue: 'chat' } },
                    { key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } },
                  ],
                  startTimeUnixNano: String(BigInt(Date.now() - 5000) * 1_000_000n),
                  endTimeUnixNano: String(BigInt(Date.now() - 4000) * 1_000_000n),
                },
                { traceId: 'not-hex', spanId: '2000000000000002', name: 'bad' },
              ],
            },
          ],
        },
      ],
    })
    const response = await post(body, JSON_TYPE)
    expect(response.status).toBe(200)
    const answer = (await response.json()) as {
      partialSuccess: { rejectedSpans: string; errorMessage: string }
    }
    expect(answer.partialSuccess.rejectedSpans).toBe('1')
    expect(answer.partialSuccess.errorMessage).toMatch(/^1 span\(s\) rejected: .*traceId/)
    const { body: detail } = await collector.api<{ spans: Array<{ name: string }> }>(
      `/api/v1/tasks/${traceId}`,
    )
    expect(detail.spans.map((span) => span.name)).toEqual(['kept'])
  })

  it('should report rejected spans in a protobuf partial success', async () => {
    const traceId = 'e3'.repeat(16)
    const body = protobufBody([
      createTestSpan({ traceId, spanId: '3000000000000001', name: 'kept' }),
      // Two bytes where eight are required.
      createTestSpan({ traceId, spanId: 'abcd', name: 'bad' }),
    ])
    const response = await post(body, PROTOBUF)
    expect(response.status).toBe(200)
    const answer = decodeProtobufResponse(new Uint8Array(await response.arrayBuffer()))
    expect(Number(answer.partialSuccess?.rejectedSpans)).toBe(1)
    expect(answer.partialSuccess?.errorMessage).toMatch(/spanId/)
  })

  it('should answer success with {} for a JSON export the exporter writes', async () => {
    const response = await post(
      jsonBody([
        createTestSpan({ traceId: 'e4'.repeat(16), spanId: '4000000000000001', name: 'x' }),
      ]),
      JSON_TYPE,
    )
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({})
  })
})
