import { describe, expect, it } from 'vitest'
import {
  bytesField,
  concatParts,
  doubleField,
  fixed32Field,
  fixed64Field,
  hexBytes,
  keyValue,
  messageField,
  requestWithSpans,
  spanBytes,
  stringField,
  tagBytes,
  varintBytes,
  varintField,
} from './create-test-proto'
import { createTestProtobufBody, createTestReadableSpan } from './create-test-spans'
import { decodeProtobufTraceRequest } from './decode-protobuf'
import { expectDecodeError } from './expect-decode-error'
import { OtlpDecodeError } from './otlp-decode-error'

const TRACE = '5b8efff798038103d269b633813fc60c'
const SPAN = 'eee19b7ec3c1b174'

describe('decodeProtobufTraceRequest', () => {
  it('should return no spans for an empty body', () => {
    expect(decodeProtobufTraceRequest(new Uint8Array(0))).toEqual({ spans: [], rejected: [] })
  })

  it('should attach a resource and scope that follow their spans on the wire', () => {
    const span = spanBytes(TRACE, SPAN, stringField(5, 'late'), varintField(6, 2))
    const scope = messageField(1, stringField(2, '9.9'), stringField(1, 'late.scope'))
    const resource = messageField(1, keyValue(1, 'service.name', stringField(1, 'svc')))
    const body = messageField(1, messageField(2, span, scope), resource)

    const { spans } = decodeProtobufTraceRequest(body)

    expect(spans).toEqual([
      {
        traceId: TRACE,
        spanId: SPAN,
        parentSpanId: '',
        name: 'late',
        kind: 2,
        startTimeUnixNano: '0',
        endTimeUnixNano: '0',
        attributes: {},
        events: [],
        statusCode: 0,
        statusMessage: '',
        resource: { 'service.name': 'svc' },
        scopeName: 'late.scope',
        scopeVersion: '9.9',
      },
    ])
  })

  it('should decode 64-bit values at their limits without precision loss', () => {
    const body = requestWithSpans(
      spanBytes(
        TRACE,
        SPAN,
        fixed64Field(7, (1n << 64n) - 1n),
        fixed64Field(8, 1738074846843448248n),
        keyValue(9, 'int64.max', varintField(3, (1n << 63n) - 1n)),
        keyValue(9, 'int64.min', varintField(3, -(1n << 63n))),
        keyValue(9, 'minus.one', varintField(3, -1n)),
        keyValue(9, 'safe.max', varintField(3, 2n ** 53n - 1n)),
        keyValue(9, 'safe.min', varintField(3, -(2n ** 53n - 1n))),
        keyValue(9, 'unsafe', varintField(3, 2n ** 53n + 1n)),
        keyValue(9, 'unsafe.negative', varintField(3, -(2n ** 53n + 1n))),
        keyValue(9, 'bool.two', varintField(2, 2)),
        keyValue(9, 'nan', doubleField(4, NaN)),
        keyValue(9, 'empty'),
      ),
    )

    const [span] = decodeProtobufTraceRequest(body).spans

    expect(span!.startTimeUnixNano).toBe('18446744073709551615')
    expect(span!.endTimeUnixNano).toBe('1738074846843448248')
    expect(span!.attributes).toEqual({
      'int64.max': 9223372036854775807n,
      'int64.min': -9223372036854775808n,
      'minus.one': -1,
      'safe.max': 9007199254740991,
      'safe.min': -9007199254740991,
      unsafe: 9007199254740993n,
      'unsafe.negative': -9007199254740993n,
      'bool.two': true,
      nan: NaN,
      empty: null,
    })
  })

  it('should skip unknown fields of every wire type, including groups', () => {
    const unknown = concatParts(
      varintField(100, 1n << 40n),
      fixed64Field(101, 7n),
      stringField(102, 'future'),
      fixed32Field(103, 9),
      tagBytes(104, 3),
      varintField(1, 5),
      tagBytes(105, 3),
      tagBytes(105, 4),
      tagBytes(104, 4),
    )
    const status = messageField(
      15,
      varintField(1, 2),
      unknown,
      varintField(3, 2),
      stringField(2, 'x'),
    )
    const value = concatParts(unknown, stringField(1, 'kept'))
    const body = concatParts(
      unknown,
      messageField(
        1,
        unknown,
        messageField(2, unknown, spanBytes(TRACE, SPAN, unknown, keyValue(9, 'k', value), status)),
      ),
    )

    const [span] = decodeProtobufTraceRequest(body).spans

    expect(span!.attributes).toEqual({ k: 'kept' })
    expect([span!.statusCode, span!.statusMessage]).toEqual([2, 'x'])
  })

  it('should treat an empty or all-zero parent span id as a root', () => {
    const body = requestWithSpans(
      spanBytes(TRACE, SPAN, bytesField(4, [])),
      spanBytes(TRACE, SPAN, bytesField(4, new Uint8Array(8))),
      spanBytes(TRACE, SPAN, bytesField(4, hexBytes('00f067aa0ba902b7'))),
    )

    const { spans } = decodeProtobufTraceRequest(body)

    expect(spans.map((span) => span.parentSpanId)).toEqual(['', '', '00f067aa0ba902b7'])
  })

  it('should reject spans with unusable ids and keep the others', () => {
    const body = requestWithSpans(
      spanBytes(TRACE, SPAN, stringField(5, 'good')),
      spanBytes(TRACE.slice(0, 30), SPAN),
      spanBytes('0'.repeat(32), SPAN),
      spanBytes(TRACE, 'eee19b7e'),
      messageField(2, bytesField(1, hexBytes(TRACE))),
      spanBytes(TRACE, '0'.repeat(16)),
      spanBytes(TRACE, SPAN, bytesField(4, [1, 2, 3])),
      spanBytes(TRACE, SPAN, stringField(5, 'also good')),
    )

    const { spans, rejected } = decodeProtobufTraceRequest(body)

    expect(spans.map((span) => span.name)).toEqual(['good', 'also good'])
    expect(rejected).toEqual([
      { index: 1, reason: 'traceId must be 16 bytes, got 15 (0x5b8efff798038103d269b633813fc6)' },
      { index: 2, reason: 'traceId must not be all zero (0x00000000000000000000000000000000)' },
      { index: 3, reason: 'spanId must be 8 bytes, got 4 (0xeee19b7e)' },
      { index: 4, reason: 'spanId is missing' },
      { index: 5, reason: 'spanId must not be all zero (0x0000000000000000)' },
      { index: 6, reason: 'parentSpanId must be 8 bytes, got 3 (0x010203)' },
    ])
  })

  it('should fail with the field and offset when a length runs past its message', () => {
    const body = requestWithSpans(spanBytes(TRACE, SPAN, stringField(5, 'chat')))
    const truncated = body.subarray(0, body.length - 2)

    expectDecodeError(
      () => decodeProtobufTraceRequest(truncated),
      400,
      'truncated protobuf body: ExportTraceServiceRequest.resource_spans (field 1) at byte 1 declares 38 bytes but only 36 remain in ExportTraceServiceRequest',
    )
  })

  it('should fail with OtlpDecodeError at every truncation of a real encoder body', () => {
    const body = createTestProtobufBody([
      createTestReadableSpan({
        traceId: TRACE,
        spanId: SPAN,
        name: 'chat',
        startTime: [1738074845, 669299666],
        endTime: [1738074846, 843448248],
        attributes: { model: 'gpt-4o', tokens: 18495, list: ['a', 1.5] },
        events: [{ name: 'e', time: [1, 1] }],
      }),
    ])

    for (let length = 1; length < body.length; length++) {
      expect(() => decodeProtobufTraceRequest(body.subarray(0, length))).toThrow(OtlpDecodeError)
    }
  })

  it('should fail when a known field arrives with another wire type', () => {
    const body = requestWithSpans(spanBytes(TRACE, SPAN, varintField(7, 5)))

    expectDecodeError(
      () => decodeProtobufTraceRequest(body),
      400,
      'malformed protobuf body: Span.start_time_unix_nano (field 7) at byte 34 has wire type 0 (varint), expected 1 (fixed64)',
    )
  })

  it('should fail on a varint longer than 10 bytes', () => {
    const body = concatParts(tagBytes(100, 0), new Array<number>(11).fill(0xff), [0x01])

    expectDecodeError(
      () => decodeProtobufTraceRequest(body),
      400,
      'malformed protobuf body: ExportTraceServiceRequest field 100 at byte 2 has a varint longer than 10 bytes',
    )
  })

  it('should fail on wire types 6 and 7 and on field number 0', () => {
    expectDecodeError(
      () => decodeProtobufTraceRequest(Uint8Array.of((1 << 3) | 6)),
      400,
      'malformed protobuf body: invalid wire type 6 for ExportTraceServiceRequest.resource_spans (field 1) at byte 0',
    )
    expectDecodeError(
      () => decodeProtobufTraceRequest(Uint8Array.of(0x02, 0x00)),
      400,
      'malformed protobuf body: invalid field tag in ExportTraceServiceRequest at byte 0',
    )
  })

  it('should fail on an end-group tag that closes nothing', () => {
    expectDecodeError(
      () => decodeProtobufTraceRequest(Uint8Array.from(tagBytes(9, 4))),
      400,
      'malformed protobuf body: unexpected end-group tag for ExportTraceServiceRequest field 9 at byte 0',
    )
  })

  it('should fail instead of overflowing the stack on deeply nested values', () => {
    // Each level is AnyValue.array_value { values: <AnyValue> }: only prefixes, built inside out.
    const leaf = stringField(1, 'leaf')
    const prefixes: number[][] = []
    let size = leaf.length
    for (let depth = 0; depth < 100_000; depth++) {
      const values = [...tagBytes(1, 2), ...varintBytes(size)]
      const array = [...tagBytes(5, 2), ...varintBytes(size + values.length)]
      prefixes.push([...array, ...values])
      size += array.length + values.length
    }
    const value = concatParts(...prefixes.reverse(), leaf)
    const body = requestWithSpans(spanBytes(TRACE, SPAN, keyValue(9, 'deep', value)))

    expectDecodeError(
      () => decodeProtobufTraceRequest(body),
      400,
      /^malformed protobuf body: attribute values nested deeper than 64 levels at byte \d+$/,
    )
  })

  it('should not let a __proto__ attribute key replace the prototype', () => {
    const body = requestWithSpans(
      spanBytes(TRACE, SPAN, keyValue(9, '__proto__', stringField(1, 'polluted'))),
    )

    const [span] = decodeProtobufTraceRequest(body).spans

    expect(Object.getPrototypeOf(span!.attributes)).toBe(Object.prototype)
    expect(Object.entries(span!.attributes)).toEqual([['__proto__', 'polluted']])
  })

  it('should decode a long varint length and multi-byte UTF-8 strings', () => {
    const long = 'é'.repeat(200)
    const body = requestWithSpans(spanBytes(TRACE, SPAN, stringField(5, long)))

    expect(varintBytes(400)).toEqual([0x90, 0x03])
    expect(decodeProtobufTraceRequest(body).spans[0]!.name).toBe(long)
  })
})
