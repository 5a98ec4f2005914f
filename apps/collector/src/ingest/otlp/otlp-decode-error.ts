/** The HTTP statuses an OTLP request can be refused with before any span is stored. */
export type OtlpDecodeStatus = 400 | 413 | 415

/**
 * A request body the collector cannot turn into spans: undecodable bytes (400), a body over the
 * size limit (413) or an unsupported content type or encoding (415). The message names what was
 * wrong and where, and is safe to return to the client: it never quotes attribute values.
 */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError'
  readonly status: OtlpDecodeStatus

  constructor(message: string, status: OtlpDecodeStatus = 400, options?: { cause?: unknown }) {
    super(message, options)
    this.status = status
  }
}
