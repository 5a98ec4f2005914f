/**
 * Where the OTLP/JSON walk is, so a problem can name its field (`resourceSpans[0].scopeSpans[1]
 * .spans[3].attributes[2].value.intValue`) without building a path string for every value.
 *
 * Two kinds of problem: a wrong container shape (an attributes object instead of an array,
 * `resourceSpans` not an array) fails the whole request; a bad value inside a span (an id, a
 * timestamp, an attribute value) rejects only that span, through `JsonSpanProblem`.
 */

import { OtlpDecodeError } from './otlp-decode-error'

/** A bad value inside a span; the walk rejects that span and carries on with the next. */
export class JsonSpanProblem extends Error {
  override readonly name = 'JsonSpanProblem'
}

/**
 * An int64 field held a number past 2^53 in a body parsed without `exactIntegers`: its digits
 * may already be rounded, so the body is parsed again with them kept.
 */
export class InexactIntegerSignal extends Error {
  override readonly name = 'InexactIntegerSignal'
}

type JsonObject = Record<string, unknown>

export class JsonCursor {
  /** Field names and array indices from the body's root to the value being read. */
  readonly path: (string | number)[] = []
  /** Length of `path` at the span being read, or -1 outside spans. */
  spanDepth = -1
  /** Whether long integer literals were parsed as decimal strings (see json-text.ts). */
  readonly exactIntegers: boolean

  constructor(exactIntegers: boolean) {
    this.exactIntegers = exactIntegers
  }

  /** Called for a number past 2^53 in an int64 field: stops a walk over rounded numbers. */
  unsafeInteger(): void {
    if (!this.exactIntegers) throw new InexactIntegerSignal()
  }

  /** The whole request is unusable: a container has the wrong shape. */
  shape(detail: string): never {
    const where = formatPath(this.path, 0) || 'the top level'
    throw new OtlpDecodeError(`invalid OTLP/JSON at ${where}: ${detail}`)
  }

  /** A value is unusable: inside a span that span is rejected, elsewhere the request fails. */
  bad(detail: string): never {
    if (this.spanDepth < 0) this.shape(detail)
    const within = formatPath(this.path, this.spanDepth)
    throw new JsonSpanProblem(within === '' ? detail : `${within}: ${detail}`)
  }

  /**
   * The array at `obj[camel]` (or the snake_case key some senders use); missing or null is an
   * empty array, anything else is a shape error. `path` must end with the object holding it.
   */
  list(obj: JsonObject, camel: string, snake: string, expected: string): readonly unknown[] {
    const value = field(obj, camel, snake)
    if (value == null) return EMPTY
    if (Array.isArray(value)) return value
    this.path.push(camel)
    return this.shape(`expected an array of ${expected}, got ${typeName(value)}`)
  }
}

const EMPTY: readonly unknown[] = Object.freeze([])

/** `obj[camel]`, falling back to `obj[snake]`: OTLP says lowerCamelCase, some senders differ. */
export function field(obj: JsonObject, camel: string, snake: string): unknown {
  const value = obj[camel]
  return value !== undefined ? value : obj[snake]
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** The JSON type of a value, for messages that must not quote it. */
export function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'array'
  return typeof value
}

/** A primitive quoted for a message, cut short; containers are named by type only. */
export function describe(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}...` : value)
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return typeName(value)
}

function formatPath(path: readonly (string | number)[], from: number): string {
  let text = ''
  for (let i = from; i < path.length; i++) {
    const segment = path[i]!
    if (typeof segment === 'number') text += `[${segment}]`
    else text += text === '' ? segment : `.${segment}`
  }
  return text
}
