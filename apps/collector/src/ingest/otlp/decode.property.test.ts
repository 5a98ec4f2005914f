import type { AttributeValue, Attributes, OtlpSpan } from '@agentmeter/core'
import type { SpanKind, SpanStatusCode } from '@opentelemetry/api'
import { resourceFromAttributes } from '@opentelemetry/resources'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createTestJsonBody,
  createTestProtobufBody,
  createTestReadableSpan,
} from './create-test-spans'
import type { TestSpanInput } from './create-test-spans'
import { decodeJsonTraceRequest } from './decode-json'
import { decodeProtobufTraceRequest } from './decode-protobuf'
import { OtlpDecodeError } from './otlp-decode-error'
import { bytesToHex } from './span-ids'

const TWO_POW_63 = 2 ** 63

/**
 * Integers the OTel JS JSON encoder writes exactly. It prints numbers as JavaScript does, so an
 * integer in [2^53, 2^63) whose shortest decimal form is not its exact value (2^60 prints as
 * 1152921504606847000) reaches the JSON decoder with other digits than the protobuf one sees;
 * round-trip.test.ts pins that case down separately.
 */
function printsExactly(value: number): boolean {
  if (!Number.isInteger(value) || Math.abs(value) < 2 ** 53 || Math.abs(value) >= TWO_POW_63) {
    return true
  }
  return BigInt(value).toString() === String(value)
}

const key = fc.string({ unit: 'grapheme', maxLength: 12 })
const text = fc.string({ unit: 'grapheme', maxLength: 24 })
const number = fc
  .oneof(
    fc.integer(),
    fc.maxSafeInteger(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.constantFrom(2 ** 53, 1e17, 9e18, -9e18, TWO_POW_63, -TWO_POW_63, 1.5e300, -0),
  )
  .filter(printsExactly)

const { value: attributeValue } = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.boolean(),
    number,
    fc.uint8Array({ maxLength: 8 }),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(key, tie('value'), { maxKeys: 4, noNullPrototype: true }),
  ),
}))

const attributes = fc.dictionary(key, attributeValue, { maxKeys: 6, noNullPrototype: true })
const hrTime = fc.tuple(fc.nat({ max: 2 ** 32 - 1 }), fc.nat({ max: 999_999_999 }))
const nonZeroId = (bytes: number) =>
  fc
    .uint8Array({ minLength: bytes, maxLength: bytes })
    .filter((id) => id.some((byte) => byte !== 0))
    .map((id) => bytesToHex(id))

const spanInput = fc.record({
  traceId: nonZeroId(16),
  parentSpanId: fc.option(nonZeroId(8), { nil: undefined }),
  name: text,
  kind: fc.integer({ min: 0, max: 4 }).map((kind) => kind as SpanKind),
  startTime: hrTime,
  endTime: hrTime,
  attributes,
  events: fc.array(fc.record({ name: text, time: hrTime, attributes }), { maxLength: 2 }),
  status: fc.record({
    code: fc.integer({ min: 0, max: 2 }).map((code) => code as SpanStatusCode),
    message: fc.option(text, { nil: undefined }),
  }),
  resourceIndex: fc.nat({ max: 1 }),
  scope: fc.record({ name: text, version: fc.option(text, { nil: undefined }) }),
})

const spanSet = fc.record({
  resources: fc.tuple(attributes, attributes),
  spans: fc.uniqueArray(fc.tuple(nonZeroId(8), spanInput), {
    minLength: 1,
    maxLength: 5,
    selector: ([spanId]) => spanId,
  }),
})

/** What the decoders must produce for a value the SDK was given. */
function expectedValue(value: unknown): AttributeValue {
  if (value === null || value === undefined) return null
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || Number.isSafeInteger(value)) return value === 0 ? 0 : value
    return value >= -TWO_POW_63 && value < TWO_POW_63 ? BigInt(value) : value
  }
  if (value instanceof Uint8Array || typeof value !== 'object') return value as AttributeValue
  if (Array.isArray(value)) return value.map(expectedValue)
  return expectedAttributes(value as Record<string, unknown>)
}

function expectedAttributes(values: Record<string, unknown>): Attributes {
  const out: Attributes = {}
  for (const [name, value] of Object.entries(values)) {
    Object.defineProperty(out, name, {
      value: expectedValue(value),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return out
}

function nanos([seconds, fraction]: [number, number]): string {
  return (BigInt(seconds) * 1_000_000_000n + BigInt(fraction)).toString()
}

function expectedSpan(
  spanId: string,
  input: Omit<TestSpanInput, 'spanId'>,
  resource: Attributes,
): OtlpSpan {
  return {
    traceId: input.traceId,
    spanId,
    parentSpanId: input.parentSpanId ?? '',
    name: input.name,
    kind: (input.kind ?? 0) + 1,
    startTimeUnixNano: nanos(input.startTime as [number, number]),
    endTimeUnixNano: nanos(input.endTime as [number, number]),
    attributes: expectedAttributes(input.attributes ?? {}),
    events: (input.events ?? []).map((event) => ({
      name: event.name,
      timeUnixNano: nanos(event.time as [number, number]),
      attributes: expectedAttributes(event.attributes ?? {}),
    })),
    statusCode: input.status?.code ?? 0,
    statusMessage: input.status?.message ?? '',
    resource,
    scopeName: input.scope?.name ?? '',
    scopeVersion: input.scope?.version ?? '',
  }
}

const bySpanId = (a: OtlpSpan, b: OtlpSpan) => (a.spanId < b.spanId ? -1 : 1)

describe('OTLP decoders under generated input', () => {
  it('should decode random span sets from both real encoders to the same exact spans', () => {
    fc.assert(
      fc.property(spanSet, ({ resources, spans }) => {
        const sdkResources = resources.map((values) => resourceFromAttributes(values as never))
        const readable = spans.map(([spanId, input]) =>
          createTestReadableSpan({ ...input, spanId, resource: sdkResources[input.resourceIndex] }),
        )

        const protobuf = decodeProtobufTraceRequest(createTestProtobufBody(readable))
        const json = decodeJsonTraceRequest(createTestJsonBody(readable))

        const expected = spans
          .map(([spanId, input]) =>
            // The SDK drops null resource attributes, so the expectation starts from what it kept.
            expectedSpan(
              spanId,
              input,
              expectedAttributes(sdkResources[input.resourceIndex]!.attributes),
            ),
          )
          .sort(bySpanId)
        expect(protobuf.rejected).toEqual([])
        expect(json.rejected).toEqual([])
        expect([...protobuf.spans].sort(bySpanId)).toEqual(expected)
        expect([...json.spans].sort(bySpanId)).toEqual(expected)
      }),
      { numRuns: 300 },
    )
  })

  it('should either decode a corrupted protobuf body or throw OtlpDecodeError', () => {
    const corruption = fc.record({
      set: fc.array(fc.tuple(fc.nat(), fc.nat({ max: 255 })), { minLength: 1, maxLength: 6 }),
      cut: fc.option(fc.nat()),
    })
    fc.assert(
      fc.property(spanSet, corruption, ({ resources, spans }, { set, cut }) => {
        const sdkResources = resources.map((values) => resourceFromAttributes(values as never))
        const readable = spans.map(([spanId, input]) =>
          createTestReadableSpan({ ...input, spanId, resource: sdkResources[input.resourceIndex] }),
        )
        const body = Uint8Array.from(createTestProtobufBody(readable))
        for (const [position, byte] of set) body[position % body.length] = byte
        const corrupted = cut === null ? body : body.subarray(0, cut % (body.length + 1))

        try {
          decodeProtobufTraceRequest(corrupted)
        } catch (err) {
          expect(err).toBeInstanceOf(OtlpDecodeError)
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('should either decode arbitrary bytes or throw OtlpDecodeError, in both formats', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        for (const decode of [decodeProtobufTraceRequest, decodeJsonTraceRequest]) {
          try {
            decode(bytes)
          } catch (err) {
            expect(err).toBeInstanceOf(OtlpDecodeError)
          }
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('should either decode a corrupted JSON body or throw OtlpDecodeError', () => {
    fc.assert(
      fc.property(
        spanSet,
        fc.array(fc.tuple(fc.nat(), fc.constantFrom(...'{}[]",:0-9aeE.\\ntrufl'.split(''))), {
          minLength: 1,
          maxLength: 4,
        }),
        ({ resources, spans }, edits) => {
          const sdkResources = resources.map((values) => resourceFromAttributes(values as never))
          const readable = spans.map(([spanId, input]) =>
            createTestReadableSpan({
              ...input,
              spanId,
              resource: sdkResources[input.resourceIndex],
            }),
          )
          const chars = [...new TextDecoder().decode(createTestJsonBody(readable))]
          for (const [position, char] of edits) chars[position % chars.length] = char
          try {
            decodeJsonTraceRequest(new TextEncoder().encode(chars.join('')))
          } catch (err) {
            expect(err).toBeInstanceOf(OtlpDecodeError)
          }
        },
      ),
      { numRuns: 500 },
    )
  })
})
