/**
 * From OTLP/JSON body bytes to a parsed value without losing 64-bit integers. Node 20's
 * `JSON.parse` has no access to a number's source text, so unquoted integer literals long enough
 * to pass 2^53 (16 digits or more) are quoted before parsing; the decoders read int64 and
 * timestamp fields from decimal strings anyway, and every shorter literal is exact as a double.
 */

import { OtlpDecodeError } from './otlp-decode-error'

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Cheap test for "there is an unquoted number of 16+ digits somewhere": most bodies have none. */
const LONG_INTEGER_CANDIDATE = /[:,[]\s*-?\d{16}/

/** JSON strings (kept whole, so digits inside them are never touched) and JSON numbers. */
const STRING_OR_NUMBER = /"[^"\\]*(?:\\.[^"\\]*)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g

const LONG_INTEGER = /^-?\d{16,}$/

/**
 * Rewrites `text` so that every unquoted integer literal of 16 or more digits becomes a string
 * literal with the same digits. Strings, short integers and numbers with a fraction or an
 * exponent are left alone.
 */
export function quoteLongIntegers(text: string): string {
  if (!LONG_INTEGER_CANDIDATE.test(text)) return text
  return text.replace(STRING_OR_NUMBER, (token) =>
    token.charCodeAt(0) !== 34 && LONG_INTEGER.test(token) ? `"${token}"` : token,
  )
}

/**
 * Decodes and parses an OTLP/JSON body.
 *
 * @throws OtlpDecodeError (400) for bytes that are not UTF-8 or text that is not JSON.
 */
export function parseJsonBody(body: Uint8Array): unknown {
  let text: string
  try {
    text = utf8.decode(body)
  } catch (err) {
    throw new OtlpDecodeError('OTLP/JSON body is not valid UTF-8', 400, { cause: err })
  }
  try {
    return JSON.parse(quoteLongIntegers(text))
  } catch (err) {
    throw new OtlpDecodeError(
      `OTLP/JSON body is not valid JSON: ${describeSyntaxError(text, err)}`,
      400,
      {
        cause: err,
      },
    )
  }
}

/**
 * The parser's complaint without the excerpt of the body that V8 quotes in some messages
 * (it may hold prompt text), reported against the original text rather than the rewritten one.
 */
function describeSyntaxError(text: string, err: unknown): string {
  let message = err instanceof Error ? err.message : String(err)
  try {
    JSON.parse(text)
  } catch (original) {
    if (original instanceof Error) message = original.message
  }
  return message.replace(/, ".*" is not valid JSON$/s, '')
}
