/** Builders for OTLP/JSON request bodies, as the OTel exporters write them. */

export interface JsonAttribute {
  key: string
  value: Record<string, unknown>
}

export function attribute(key: string, value: string | number | boolean | string[]): JsonAttribute {
  if (Array.isArray(value)) {
    return { key, value: { arrayValue: { values: value.map((item) => ({ stringValue: item })) } } }
  }
  if (typeof value === 'string') return { key, value: { stringValue: value } }
  if (typeof value === 'boolean') return { key, value: { boolValue: value } }
  return Number.isInteger(value)
    ? { key, value: { intValue: String(value) } }
    : { key, value: { doubleValue: value } }
}

export interface JsonSpanInput {
  traceId: string
  spanId: string
  parentSpanId?: string
  name: string
  kind?: number
  startTimeUnixNano: string
  endTimeUnixNano: string
  attributes: Record<string, string | number | boolean | string[]>
  status?: { code: number; message?: string }
}

export function createOtlpJsonBody(
  spans: JsonSpanInput[],
  serviceName = 'test-service',
  resource: Record<string, string> = {},
): string {
  return JSON.stringify({
    resourceSpans: [
      {
        resource: {
          attributes: [
            attribute('service.name', serviceName),
            ...Object.entries(resource).map(([key, value]) => attribute(key, value)),
          ],
        },
        scopeSpans: [
          {
            scope: { name: 'agentmeter-tests', version: '1.0.0' },
            spans: spans.map((span) => ({
              traceId: span.traceId,
              spanId: span.spanId,
              parentSpanId: span.parentSpanId ?? '',
              name: span.name,
              kind: span.kind ?? 3,
              startTimeUnixNano: span.startTimeUnixNano,
              endTimeUnixNano: span.endTimeUnixNano,
              attributes: Object.entries(span.attributes).map(([key, value]) =>
                attribute(key, value),
              ),
              status: span.status ?? { code: 0 },
            })),
          },
        ],
      },
    ],
  })
}

/** Nanoseconds since the epoch for a Date, as OTLP's decimal string. */
export function toUnixNano(date: Date): string {
  return (BigInt(date.getTime()) * 1_000_000n).toString()
}

/** Posts spans to a collector's OTLP/JSON endpoint in requests of `batch` spans. */
export async function postSpans(
  url: string,
  apiKey: string,
  spans: JsonSpanInput[],
  batch = 1000,
): Promise<void> {
  for (let i = 0; i < spans.length; i += batch) {
    const response = await fetch(`${url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: createOtlpJsonBody(spans.slice(i, i + batch)),
    })
    if (response.status !== 200) {
      throw new Error(`ingest answered ${response.status}: ${await response.text()}`)
    }
  }
}
