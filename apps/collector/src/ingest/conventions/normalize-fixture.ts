/** Test support: decodes a request body and normalizes its spans, as the ingest route does. */

import { normalizeSpan, type SpanRow } from '@agentmeter/core'
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base'
import { decodeTraceRequest } from '../otlp'
import { createTestJsonBody, createTestProtobufBody } from '../otlp/create-test-spans'

export type Encoding = 'json' | 'protobuf'

const CONTENT_TYPES: Record<Encoding, string> = {
  json: 'application/json',
  protobuf: 'application/x-protobuf',
}

/** Rows for a request body, failing loudly if the decoder rejected any span. */
export function rowsOfBody(body: Uint8Array, encoding: Encoding): SpanRow[] {
  const decoded = decodeTraceRequest(body, CONTENT_TYPES[encoding])
  if (decoded.rejected.length > 0) {
    throw new Error(`decoder rejected spans: ${JSON.stringify(decoded.rejected)}`)
  }
  return decoded.spans.map((span) => normalizeSpan(span, { projectId: 'p1' }))
}

/** Rows for spans sent the way the OTel JS exporter of `encoding` sends them. */
export function rowsOfSpans(spans: ReadableSpan[], encoding: Encoding): SpanRow[] {
  const body = encoding === 'json' ? createTestJsonBody(spans) : createTestProtobufBody(spans)
  return rowsOfBody(body, encoding)
}

/** The parts of a row a convention decides: what the fixture tests compare exactly. */
export function canonical(row: SpanRow) {
  return {
    convention: row.convention,
    kind: row.kind,
    taskName: row.taskName,
    isTaskRoot: row.isTaskRoot,
    provider: row.provider,
    requestModel: row.requestModel,
    responseModel: row.responseModel,
    toolName: row.toolName,
    usage: row.usage,
    usageExtra: row.usageExtra,
    usageNotes: row.usageNotes,
    priced: row.cost.priced,
    costUsd: row.cost.costUsd,
    priceSource: row.cost.source,
    priceReason: row.cost.reason,
    reportedCostUsd: row.reportedCostUsd,
  }
}
