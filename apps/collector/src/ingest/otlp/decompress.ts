/**
 * Request body decompression with the size cap applied to the decompressed bytes while they are
 * produced: zlib stops at `maxOutputLength`, so a small gzip bomb never inflates past the limit.
 * OTLP/HTTP senders use `Content-Encoding: gzip`
 * (https://opentelemetry.io/docs/specs/otlp/#otlphttp-request).
 */

import { constants as bufferConstants } from 'node:buffer'
import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib'
import type { InputType, ZlibOptions } from 'node:zlib'
import { OtlpDecodeError } from './otlp-decode-error'

const ACCEPTED = 'gzip, deflate, identity'

/**
 * Returns the decompressed body for a `Content-Encoding` of `gzip` (or `x-gzip`), `deflate`
 * (zlib-wrapped or raw) or `identity` / none. The result is `body` itself when nothing is to be
 * inflated.
 *
 * @param maxBytes largest decompressed size accepted, in bytes (a positive integer).
 * @throws OtlpDecodeError 413 when the decompressed body would exceed `maxBytes`, 415 for an
 *   unsupported encoding, 400 for a corrupt compressed body.
 */
export function decompressBody(
  body: Uint8Array,
  contentEncoding: string | undefined,
  maxBytes: number,
): Uint8Array {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) {
    throw new RangeError(`maxBytes must be a positive integer, got ${maxBytes}`)
  }
  const encoding = (contentEncoding ?? '').trim().toLowerCase()
  switch (encoding) {
    case '':
    case 'identity':
      if (body.length > maxBytes) throw tooLarge(maxBytes, '')
      return body
    case 'gzip':
    case 'x-gzip':
      return inflate(gunzipSync, body, maxBytes, 'gzip')
    case 'deflate':
      return inflate(looksLikeZlib(body) ? inflateSync : inflateRawSync, body, maxBytes, 'deflate')
    default:
      throw new OtlpDecodeError(
        `unsupported Content-Encoding ${JSON.stringify(contentEncoding)}; accepted: ${ACCEPTED}`,
        415,
      )
  }
}

type Inflate = (input: InputType, options?: ZlibOptions) => Buffer

function inflate(run: Inflate, body: Uint8Array, maxBytes: number, name: string): Uint8Array {
  try {
    return run(body, { maxOutputLength: Math.min(maxBytes, bufferConstants.MAX_LENGTH) })
  } catch (err) {
    if (isCode(err, 'ERR_BUFFER_TOO_LARGE'))
      throw tooLarge(maxBytes, ` after ${name} decompression`, err)
    const reason = err instanceof Error ? err.message : String(err)
    throw new OtlpDecodeError(`${name} body is corrupt: ${reason}`, 400, { cause: err })
  }
}

/**
 * HTTP `deflate` is meant to be zlib-wrapped (RFC 9110 section 8.4.1.2) but some clients send
 * raw deflate; a zlib stream starts with a CMF/FLG pair whose 16-bit value is a multiple of 31.
 */
function looksLikeZlib(body: Uint8Array): boolean {
  if (body.length < 2) return true
  const cmf = body[0]!
  return (cmf & 0x0f) === 8 && ((cmf << 8) | body[1]!) % 31 === 0
}

function tooLarge(maxBytes: number, when: string, cause?: unknown): OtlpDecodeError {
  const mib = maxBytes % 1048576 === 0 ? ` (${maxBytes / 1048576} MiB)` : ''
  return new OtlpDecodeError(
    `request body exceeds the limit of ${maxBytes} bytes${mib}${when}`,
    413,
    { cause },
  )
}

function isCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code
}
