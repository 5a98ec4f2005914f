/**
 * From OTLP/JSON body bytes to parsed values without losing 64-bit integers. Node 20's
 * `JSON.parse` has no access to a number's source text, so when a body holds integer literals
 * long enough to pass 2^53 (16 digits or more), they are quoted before parsing and the decoders
 * read them from their digits. Most senders (OTel JS among them) quote timestamps already, so
 * this second, slower parse only runs for bodies that need it: see decode-json.ts.
 */

import { OtlpDecodeError } from './otlp-decode-error'

const utf8 = new TextDecoder('utf-8', { fatal: true })

const QUOTE = 34
const BACKSLASH = 92
const MINUS = 45
/** Integer literals this long may exceed 2^53 (9007199254740992 has 16 digits). */
const LONG_DIGITS = 16

/**
 * Rewrites `text` (valid JSON) so that every unquoted integer literal of 16 or more digits
 * becomes a string literal with the same digits. Strings, short integers and numbers with a
 * fraction or an exponent are left alone.
 */
export function quoteLongIntegers(text: string): string {
  let out = ''
  let copied = 0
  let i = 0
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      i = endOfString(text, i)
    } else if (c === MINUS || isDigit(c)) {
      const start = i
      if (c === MINUS) i++
      const digitsStart = i
      while (i < text.length && isDigit(text.charCodeAt(i))) i++
      const digits = i - digitsStart
      if (i < text.length && isNumberPart(text.charCodeAt(i))) {
        while (i < text.length && isNumberPart(text.charCodeAt(i))) i++
      } else if (digits >= LONG_DIGITS) {
        out += `${text.slice(copied, start)}"${text.slice(start, i)}"`
        copied = i
      }
    } else {
      i++
    }
  }
  return copied === 0 ? text : out + text.slice(copied)
}

/** The index after the string literal that opens at `start`. */
function endOfString(text: string, start: number): number {
  let quote = text.indexOf('"', start + 1)
  while (quote !== -1) {
    let backslashes = 0
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++
    if (backslashes % 2 === 0) return quote + 1
    quote = text.indexOf('"', quote + 1)
  }
  return text.length
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57
}

/** Digits, sign, point and exponent: what may follow the integer part of a number. */
function isNumberPart(c: number): boolean {
  return isDigit(c) || c === 46 || c === 101 || c === 69 || c === 43 || c === MINUS
}

/**
 * The text of an OTLP/JSON body.
 *
 * @throws OtlpDecodeError (400) for bytes that are not UTF-8.
 */
export function decodeJsonText(body: Uint8Array): string {
  try {
    return utf8.decode(body)
  } catch (err) {
    throw new OtlpDecodeError('OTLP/JSON body is not valid UTF-8', 400, { cause: err })
  }
}

/**
 * Parses JSON text; with `exactIntegers`, long integer literals arrive as decimal strings.
 *
 * @throws OtlpDecodeError (400) for text that is not JSON.
 */
export function parseJsonText(text: string, exactIntegers: boolean): unknown {
  try {
    return JSON.parse(exactIntegers ? quoteLongIntegers(text) : text)
  } catch (err) {
    throw new OtlpDecodeError(
      `OTLP/JSON body is not valid JSON: ${describeSyntaxError(err)}`,
      400,
      {
        cause: err,
      },
    )
  }
}

/** The parser's complaint without the excerpt of the body V8 quotes in some messages. */
function describeSyntaxError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err)
  return message.replace(/, ".*" is not valid JSON$/s, '')
}
