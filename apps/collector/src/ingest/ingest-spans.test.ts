import type { DecodedTraceRequest, OtlpSpan } from '@agentmeter/core'
import { describe, expect, it } from 'vitest'
import { normalizeBatch } from './ingest-spans'

function createTestSpan(spanId: string, endTimeUnixNano: string): OtlpSpan {
  return {
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    spanId,
    parentSpanId: '',
    name: 'chat gpt-4o',
    kind: 3,
    startTimeUnixNano: '1764835200000000000',
    endTimeUnixNano,
    attributes: { 'gen_ai.operation.name': 'chat', 'gen_ai.request.model': 'gpt-4o' },
    events: [],
    statusCode: 0,
    statusMessage: '',
    resource: {},
    scopeName: '',
    scopeVersion: '',
  }
}

describe('normalizeBatch', () => {
  it('should reject a span whose time the store cannot hold, alone, and keep the rest', () => {
    // Found by the corruption property test: one flipped byte moved an end time to 2264, and
    // ClickHouse refused the whole insert (a 503 for every span of the request).
    const decoded: DecodedTraceRequest = {
      spans: [
        createTestSpan('00f067aa0ba902b7', '1764835201000000000'),
        createTestSpan('00f067aa0ba902b8', '9300000000000000000'),
      ],
      rejected: [],
    }
    const { records, rejected } = normalizeBatch(decoded, 'p1')
    expect(records.map((record) => record.span_id)).toEqual(['00f067aa0ba902b7'])
    expect(rejected).toEqual([
      {
        index: 1,
        reason:
          'span 00f067aa0ba902b8 could not be normalized: endTimeUnixNano 9300000000000000000 ns is outside what is stored (0 to 9223372036854775807 ns since the epoch, up to 2262-04-11)',
      },
    ])
  })
})
