/**
 * Which OTLP encoding a request uses, from its `Content-Type`. The response is written in the
 * same encoding (https://opentelemetry.io/docs/specs/otlp/#otlphttp).
 */

import { OtlpDecodeError } from './otlp-decode-error'

/** The two OTLP/HTTP encodings. */
export type OtlpFormat = 'protobuf' | 'json'

const ACCEPTED = 'application/x-protobuf, application/protobuf, application/json'

/**
 * The OTLP encoding named by a `Content-Type` header; parameters such as `charset` are ignored
 * and the media type is case-insensitive.
 *
 * @throws OtlpDecodeError (415) for a missing or unsupported content type.
 */
export function detectFormat(contentType: string | undefined): OtlpFormat {
  const mediaType = (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase()
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') {
    return 'protobuf'
  }
  if (mediaType === 'application/json') return 'json'
  const problem =
    contentType === undefined || contentType.trim() === ''
      ? 'missing Content-Type'
      : `unsupported Content-Type ${JSON.stringify(contentType)}`
  throw new OtlpDecodeError(`${problem}; accepted: ${ACCEPTED}`, 415)
}
