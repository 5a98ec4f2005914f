/**
 * OTLP/HTTP trace ingest codecs: body decompression, protobuf and JSON decoding into
 * `OtlpSpan`s, and the response bodies. No HTTP here: the `POST /v1/traces` route wires them up.
 */

import type { DecodedTraceRequest } from '@agentmeter/core'
import { detectFormat } from './content-type'
import { decodeJsonTraceRequest } from './decode-json'
import { decodeProtobufTraceRequest } from './decode-protobuf'

export { detectFormat } from './content-type'
export type { OtlpFormat } from './content-type'
export { decodeJsonTraceRequest } from './decode-json'
export { decodeProtobufTraceRequest } from './decode-protobuf'
export { decompressBody } from './decompress'
export { encodeExportResponse, encodeStatus } from './encode-response'
export type { PartialSuccess } from './encode-response'
export { OtlpDecodeError } from './otlp-decode-error'
export type { OtlpDecodeStatus } from './otlp-decode-error'

/**
 * Decodes an (already decompressed) `ExportTraceServiceRequest` body, choosing protobuf or JSON
 * by `contentType`. Spans with unusable ids or values are returned in `rejected`, by their
 * position in the request, for an OTLP partial-success response.
 *
 * @throws OtlpDecodeError 415 for an unsupported content type, 400 for an undecodable body.
 */
export function decodeTraceRequest(body: Uint8Array, contentType: string): DecodedTraceRequest {
  return detectFormat(contentType) === 'protobuf'
    ? decodeProtobufTraceRequest(body)
    : decodeJsonTraceRequest(body)
}
