import type { OtlpSpan } from '@agentmeter/core'
import { describe, expect, it } from 'vitest'
import { decodeJsonTraceRequest } from './decode-json'
import { expectDecodeError } from './expect-decode-error'

const TRACE = '5b8efff798038103d269b633813fc60c'
const SPAN = 'eee19b7ec3c1b174'

function body(text: string): Uint8Array {
  return new TextEncoder().encode(text)
}

/** A request of one resource and one scope holding `spans` (JSON text of each span). */
function request(...spans: string[]): Uint8Array {
  return body(`{"resourceSpans":[{"scopeSpans":[{"spans":[${spans.join(',')}]}]}]}`)
}

function span(fields: string): string {
  return `{"traceId":"${TRACE}","spanId":"${SPAN}"${fields === '' ? '' : `,${fields}`}}`
}

function onlySpan(text: Uint8Array): OtlpSpan {
  const { spans, rejected } = decodeJsonTraceRequest(text)
  expect(rejected).toEqual([])
  expect(spans).toHaveLength(1)
  return spans[0]!
}

describe('decodeJsonTraceRequest', () => {
  it('should accept an empty object, a null and an empty resourceSpans', () => {
    for (const text of ['{}', '{"resourceSpans":null}', '{"resourceSpans":[]}']) {
      expect(decodeJsonTraceRequest(body(text))).toEqual({ spans: [], rejected: [] })
    }
  })

  it('should keep unquoted nanosecond timestamps and int64 values exact', () => {
    const decoded = onlySpan(
      request(
        span(
          '"startTimeUnixNano":1738074845669299666,"endTimeUnixNano":18446744073709551615,' +
            '"attributes":[' +
            '{"key":"max","value":{"intValue":9223372036854775807}},' +
            '{"key":"min","value":{"intValue":-9223372036854775808}},' +
            '{"key":"unsafe","value":{"intValue":"9007199254740993"}},' +
            '{"key":"exp","value":{"intValue":1e18}},' +
            '{"key":"double","value":{"doubleValue":12345678901234567890}},' +
            '{"key":"text","value":{"stringValue":"[1234567890123456789, 0.12345678901234567]"}},' +
            '{"key":"fraction","value":{"doubleValue":0.12345678901234567}}]',
        ),
      ),
    )

    expect(decoded.startTimeUnixNano).toBe('1738074845669299666')
    expect(decoded.endTimeUnixNano).toBe('18446744073709551615')
    expect(decoded.attributes).toEqual({
      max: 9223372036854775807n,
      min: -9223372036854775808n,
      unsafe: 9007199254740993n,
      exp: 1000000000000000000n,
      double: Number('12345678901234567890'),
      text: '[1234567890123456789, 0.12345678901234567]',
      fraction: Number('0.12345678901234567'),
    })
  })

  it('should read every AnyValue kind, including the proto3 JSON special doubles', () => {
    const decoded = onlySpan(
      request(
        span(
          '"attributes":[' +
            '{"key":"s","value":{"stringValue":"x"}},' +
            '{"key":"b","value":{"boolValue":false}},' +
            '{"key":"i","value":{"intValue":"-42"}},' +
            '{"key":"d","value":{"doubleValue":"NaN"}},' +
            '{"key":"inf","value":{"doubleValue":"-Infinity"}},' +
            '{"key":"numeric","value":{"doubleValue":"2.5"}},' +
            '{"key":"bytes","value":{"bytesValue":"AAH+/w=="}},' +
            '{"key":"urlBytes","value":{"bytesValue":"AAH-_w"}},' +
            '{"key":"array","value":{"arrayValue":{"values":[{"intValue":1},{}]}}},' +
            '{"key":"emptyArray","value":{"arrayValue":{}}},' +
            '{"key":"kv","value":{"kvlistValue":{"values":[{"key":"a","value":{"boolValue":true}}]}}},' +
            '{"key":"nullString","value":{"stringValue":null,"intValue":3}},' +
            '{"key":"unset","value":{}},' +
            '{"key":"missing"}]',
        ),
      ),
    )

    expect(decoded.attributes).toEqual({
      s: 'x',
      b: false,
      i: -42,
      d: NaN,
      inf: -Infinity,
      numeric: 2.5,
      bytes: new Uint8Array([0, 1, 254, 255]),
      urlBytes: new Uint8Array([0, 1, 254, 255]),
      array: [1, null],
      emptyArray: [],
      kv: { a: true },
      nullString: 3,
      unset: null,
      missing: null,
    })
  })

  it('should lower-case hex ids and accept snake_case keys and enum names', () => {
    const text = body(
      JSON.stringify({
        resource_spans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { string_value: 'svc' } }] },
            scope_spans: [
              {
                scope: { name: 'lib', version: '1' },
                spans: [
                  {
                    trace_id: TRACE.toUpperCase(),
                    span_id: SPAN.toUpperCase(),
                    parent_span_id: 'EEE19B7EC3C1B173',
                    name: 'snake',
                    kind: 'SPAN_KIND_CLIENT',
                    start_time_unix_nano: '0001544712660000000000',
                    end_time_unix_nano: 1544712661000000000,
                    attributes: [{ key: 'n', value: { int_value: '7' } }],
                    events: [{ time_unix_nano: '5', name: 'e', attributes: [] }],
                    status: { code: 'STATUS_CODE_ERROR', message: 'bad' },
                  },
                ],
              },
            ],
          },
        ],
      }),
    )

    expect(onlySpan(text)).toEqual({
      traceId: TRACE,
      spanId: SPAN,
      parentSpanId: 'eee19b7ec3c1b173',
      name: 'snake',
      kind: 3,
      startTimeUnixNano: '1544712660000000000',
      endTimeUnixNano: '1544712661000000000',
      attributes: { n: 7 },
      events: [{ name: 'e', timeUnixNano: '5', attributes: {} }],
      statusCode: 2,
      statusMessage: 'bad',
      resource: { 'service.name': 'svc' },
      scopeName: 'lib',
      scopeVersion: '1',
    })
  })

  it('should accept byte-object ids, Long integers and short enum names', () => {
    const ids = {
      traceId: Object.fromEntries([...Array(16).keys()].map((i) => [String(i), i + 1])),
      spanId: { type: 'Buffer', data: [1, 2, 3, 4, 5, 6, 7, 8] },
      parentSpanId: { type: 'Buffer', data: [] },
    }
    const text = request(
      JSON.stringify({
        ...ids,
        kind: 'server',
        startTimeUnixNano: { low: -1, high: -1, unsigned: true },
        attributes: [
          { key: 'signed', value: { intValue: { low: -2, high: -1, unsigned: false } } },
          { key: 'unsigned', value: { intValue: { low: 5, high: 1, unsigned: true } } },
        ],
        status: { code: 'OK' },
      }),
    )

    const decoded = onlySpan(text)

    expect([decoded.traceId, decoded.spanId, decoded.parentSpanId]).toEqual([
      '0102030405060708090a0b0c0d0e0f10',
      '0102030405060708',
      '',
    ])
    expect([decoded.kind, decoded.statusCode, decoded.startTimeUnixNano]).toEqual([
      2,
      1,
      '18446744073709551615',
    ])
    expect(decoded.attributes).toEqual({ signed: -2, unsigned: 4294967301 })
  })

  it('should reject only the spans with bad ids or values, naming the field and the value', () => {
    const text = request(
      span('"name":"good"'),
      `{"traceId":"${TRACE.slice(0, 31)}x","spanId":"${SPAN}"}`,
      `{"traceId":"${'0'.repeat(32)}","spanId":"${SPAN}"}`,
      `{"traceId":"${TRACE}","spanId":"${SPAN}00"}`,
      `{"traceId":"${TRACE}"}`,
      `{"traceId":"${TRACE}","spanId":12}`,
      span('"parentSpanId":"abc"'),
      span('"startTimeUnixNano":"1.5"'),
      span('"endTimeUnixNano":-1'),
      span('"events":[{"timeUnixNano":"soon"}]'),
      span('"kind":"SPAN_KIND_SIDEWAYS"'),
      span('"attributes":[{"key":"n","value":{"intValue":"ten"}}]'),
      span('"attributes":[{"key":"a","value":{"arrayValue":{"values":[{"boolValue":"yes"}]}}}]'),
      span('"status":{"code":1,"message":42}'),
      span('"name":"also good"'),
    )

    const { spans, rejected } = decodeJsonTraceRequest(text)

    expect(spans.map((decoded) => decoded.name)).toEqual(['good', 'also good'])
    expect(rejected).toEqual([
      { index: 1, reason: `traceId "${TRACE.slice(0, 31)}x" is not 32 hex characters` },
      { index: 2, reason: `traceId "${'0'.repeat(32)}" is all zero` },
      { index: 3, reason: `spanId "${SPAN}00" is not 16 hex characters` },
      { index: 4, reason: 'spanId is missing' },
      { index: 5, reason: 'spanId must be a hex string, got number' },
      { index: 6, reason: 'parentSpanId "abc" is not 16 hex characters' },
      {
        index: 7,
        reason: 'startTimeUnixNano "1.5" is not a uint64 (expected decimal text or an integer)',
      },
      {
        index: 8,
        reason: 'endTimeUnixNano -1 is not a uint64 (expected decimal text or an integer)',
      },
      {
        index: 9,
        reason:
          'events[0]: timeUnixNano "soon" is not a uint64 (expected decimal text or an integer)',
      },
      { index: 10, reason: 'kind "SPAN_KIND_SIDEWAYS" is not a known enum value' },
      { index: 11, reason: 'attributes[0].value.intValue: expected an int64, got "ten"' },
      {
        index: 12,
        reason:
          'attributes[0].value.arrayValue.values[0].boolValue: expected true or false, got "yes"',
      },
      { index: 13, reason: 'status.message: expected a string, got number' },
    ])
  })

  it('should count rejected spans across resources and scopes', () => {
    const bad = `{"traceId":"nope","spanId":"${SPAN}"}`
    const text = body(
      `{"resourceSpans":[{"scopeSpans":[{"spans":[${span('')},${bad}]},{"spans":[${bad}]}]},` +
        `{"scopeSpans":[{"spans":[${bad},${span('')}]}]}]}`,
    )

    const { spans, rejected } = decodeJsonTraceRequest(text)

    expect(spans).toHaveLength(2)
    expect(rejected.map((entry) => entry.index)).toEqual([1, 2, 3])
  })

  it('should fail on text that is not JSON without quoting the body', () => {
    expectDecodeError(
      () => decodeJsonTraceRequest(body('not json: sk-secret')),
      400,
      "OTLP/JSON body is not valid JSON: Unexpected token 'o'",
    )
    expectDecodeError(
      () => decodeJsonTraceRequest(body('{"resourceSpans":[')),
      400,
      'OTLP/JSON body is not valid JSON: Unexpected end of JSON input',
    )
    expectDecodeError(
      () => decodeJsonTraceRequest(Uint8Array.of(0x7b, 0xff, 0x7d)),
      400,
      'OTLP/JSON body is not valid UTF-8',
    )
  })

  it('should fail when a container has the wrong shape, naming the field', () => {
    const cases: [string, string][] = [
      [
        '[]',
        'invalid OTLP/JSON at the top level: expected an object with "resourceSpans", got array',
      ],
      [
        '{"resourceSpans":{}}',
        'invalid OTLP/JSON at resourceSpans: expected an array of ResourceSpans, got object',
      ],
      [
        '{"resourceSpans":[{"resource":{"attributes":{"service.name":"svc"}}}]}',
        'invalid OTLP/JSON at resourceSpans[0].resource.attributes: expected an array of {key, value}, got object',
      ],
      [
        `{"resourceSpans":[{"scopeSpans":[{"spans":[${span('"attributes":{"a":1}')}]}]}]}`,
        'invalid OTLP/JSON at resourceSpans[0].scopeSpans[0].spans[0].attributes: expected an array of {key, value}, got object',
      ],
      [
        '{"resourceSpans":[{"scopeSpans":[{"spans":[null]}]}]}',
        'invalid OTLP/JSON at resourceSpans[0].scopeSpans[0].spans[0]: expected a Span object, got null',
      ],
      [
        '{"resourceSpans":[{"scopeSpans":"x"}]}',
        'invalid OTLP/JSON at resourceSpans[0].scopeSpans: expected an array of ScopeSpans, got string',
      ],
      [
        '{"resourceSpans":[{"resource":{"attributes":[{"key":"n","value":{"intValue":true}}]}}]}',
        'invalid OTLP/JSON at resourceSpans[0].resource.attributes[0].value.intValue: expected an int64, got true',
      ],
      [
        '{"resourceSpans":[{"scopeSpans":[{"scope":{"name":7}}]}]}',
        'invalid OTLP/JSON at resourceSpans[0].scopeSpans[0].scope.name: expected a string, got number',
      ],
    ]
    for (const [text, message] of cases) {
      expectDecodeError(() => decodeJsonTraceRequest(body(text)), 400, message)
    }
  })

  it('should fail instead of overflowing the stack on deeply nested values', () => {
    const depth = 100_000
    const value = '{"arrayValue":{"values":['.repeat(depth) + '{}' + ']}}'.repeat(depth)
    const text = request(span(`"attributes":[{"key":"deep","value":${value}}]`))

    expectDecodeError(
      () => decodeJsonTraceRequest(text),
      400,
      /^invalid OTLP\/JSON at resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.attributes\[0\]\.value(\.arrayValue\.values\[0\]){64}\.arrayValue: attribute values nested deeper than 64 levels$/,
    )
  })

  it('should not let a __proto__ attribute key replace the prototype', () => {
    const decoded = onlySpan(
      request(span('"attributes":[{"key":"__proto__","value":{"stringValue":"polluted"}}]')),
    )

    expect(Object.getPrototypeOf(decoded.attributes)).toBe(Object.prototype)
    expect(Object.entries(decoded.attributes)).toEqual([['__proto__', 'polluted']])
  })

  it('should ignore unknown fields at every level', () => {
    const text = body(
      `{"future":1,"resourceSpans":[{"x":[],"schemaUrl":"u","scopeSpans":[{"y":{},"spans":[` +
        span('"flags":257,"links":[{"traceId":"zz"}],"droppedAttributesCount":3,"z":null') +
        ']}]}]}',
    )

    expect(onlySpan(text).traceId).toBe(TRACE)
  })
})
