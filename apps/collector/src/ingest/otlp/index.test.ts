import { describe, expect, it } from 'vitest'
import { createTestProtobufBody, createTestReadableSpan } from './create-test-spans'
import { expectDecodeError } from './expect-decode-error'
import { decodeTraceRequest, detectFormat } from './index'

const JSON_BODY = new TextEncoder().encode(
  '{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174","name":"json"}]}]}]}',
)
const PROTOBUF_BODY = createTestProtobufBody([
  createTestReadableSpan({
    traceId: '5b8efff798038103d269b633813fc60c',
    spanId: 'eee19b7ec3c1b174',
    name: 'protobuf',
    startTime: [1, 0],
    endTime: [2, 0],
  }),
])

describe('decodeTraceRequest', () => {
  it('should pick the protobuf decoder for both protobuf media types', () => {
    for (const type of [
      'application/x-protobuf',
      'application/protobuf',
      'Application/X-Protobuf',
    ]) {
      expect(decodeTraceRequest(PROTOBUF_BODY, type).spans.map((span) => span.name)).toEqual([
        'protobuf',
      ])
    }
  })

  it('should pick the JSON decoder with or without parameters', () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'APPLICATION/JSON;',
    ]) {
      expect(decodeTraceRequest(JSON_BODY, type).spans.map((span) => span.name)).toEqual(['json'])
    }
  })

  it('should refuse other content types with a 415 naming the accepted ones', () => {
    expectDecodeError(
      () => decodeTraceRequest(JSON_BODY, 'text/plain'),
      415,
      'unsupported Content-Type "text/plain"; accepted: application/x-protobuf, application/protobuf, application/json',
    )
    expectDecodeError(
      () => decodeTraceRequest(JSON_BODY, ''),
      415,
      'missing Content-Type; accepted: application/x-protobuf, application/protobuf, application/json',
    )
  })
})

describe('detectFormat', () => {
  it('should name the format the response must use', () => {
    expect(detectFormat('application/x-protobuf')).toBe('protobuf')
    expect(detectFormat(' application/json ; charset=UTF-8')).toBe('json')
  })
})
