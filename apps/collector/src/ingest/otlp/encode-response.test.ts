import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer'
import { describe, expect, it } from 'vitest'
import { encodeExportResponse, encodeStatus } from './encode-response'

describe('encodeExportResponse', () => {
  it('should answer a full success with an empty message', () => {
    expect(encodeExportResponse('json')).toBe('{}')
    expect(encodeExportResponse('protobuf')).toEqual(new Uint8Array(0))
    expect(encodeExportResponse('json', { rejectedSpans: 0, errorMessage: '' })).toBe('{}')
  })

  it('should write a partial success as proto3 JSON with rejectedSpans as a string', () => {
    const body = encodeExportResponse('json', {
      rejectedSpans: 2,
      errorMessage: 'span 3: traceId "zz" is not 32 hex characters',
    })

    expect(body).toBe(
      '{"partialSuccess":{"rejectedSpans":"2","errorMessage":"span 3: traceId \\"zz\\" is not 32 hex characters"}}',
    )
  })

  it('should write a partial success the OTel JS exporters read back', () => {
    const partial = { rejectedSpans: 300, errorMessage: 'unknown model, cost not computed: é' }

    const protobuf = encodeExportResponse('protobuf', partial)
    const json = new TextEncoder().encode(encodeExportResponse('json', partial))

    expect(Array.from(protobuf.subarray(0, 6))).toEqual([0x0a, 0x29, 0x08, 0xac, 0x02, 0x12])
    expect(ProtobufTraceSerializer.deserializeResponse(protobuf)).toEqual({
      partialSuccess: { rejectedSpans: 300, errorMessage: 'unknown model, cost not computed: é' },
    })
    expect(JsonTraceSerializer.deserializeResponse(json)).toEqual({
      partialSuccess: { rejectedSpans: '300', errorMessage: 'unknown model, cost not computed: é' },
    })
  })

  it('should leave out a zero rejected count in protobuf, as proto3 does for defaults', () => {
    const body = encodeExportResponse('protobuf', { rejectedSpans: 0, errorMessage: 'warn' })

    expect(Array.from(body)).toEqual([0x0a, 0x06, 0x12, 0x04, 0x77, 0x61, 0x72, 0x6e])
  })
})

describe('encodeStatus', () => {
  it('should write google.rpc.Status with only the message', () => {
    expect(encodeStatus('json', 'unsupported Content-Type "text/plain"')).toBe(
      '{"message":"unsupported Content-Type \\"text/plain\\""}',
    )
    expect(Array.from(encodeStatus('protobuf', 'bad'))).toEqual([0x12, 0x03, 0x62, 0x61, 0x64])
    expect(encodeStatus('protobuf', '')).toEqual(new Uint8Array(0))
  })

  it('should prefix a long message with a multi-byte length', () => {
    const body = encodeStatus('protobuf', 'x'.repeat(200))

    expect(Array.from(body.subarray(0, 3))).toEqual([0x12, 0xc8, 0x01])
    expect(body).toHaveLength(203)
  })
})
