import {
  isContentAttribute,
  normalizeSpan,
  type DecodedTraceRequest,
  type PriceBook,
  type RejectedSpan,
} from '@agentmeter/core'
import { toSpanRecord, type SpanRecord } from '../store/span-record'
import { DEFAULT_INGEST_LIMITS, spanLimitViolation, type IngestLimits } from './limits'
import type { Redactor } from './redaction'

/** Content capture of the batch's project: off, or on with the redaction applied first. */
export type ContentHandling = { captureContent: false } | { captureContent: true; redact: Redactor }

export interface NormalizedBatch {
  records: SpanRecord[]
  rejected: RejectedSpan[]
  /** Rejected spans by cause: undecodable, over a limit, or failed to normalize. */
  rejectCauses: Record<'invalid_span' | 'span_limits' | 'normalize_failed', number>
}

/**
 * Normalizes and prices every decoded span of a request. A span that fails here is rejected on
 * its own, with the reason, and the rest of the batch is kept. Prompt and completion content is
 * dropped unless the project captures content; then it is redacted before it is stored.
 */
export function normalizeBatch(
  decoded: DecodedTraceRequest,
  projectId: string,
  priceBook?: PriceBook,
  limits: IngestLimits = DEFAULT_INGEST_LIMITS,
  content: ContentHandling = { captureContent: false },
): NormalizedBatch {
  const records: SpanRecord[] = []
  const rejected: RejectedSpan[] = [...decoded.rejected]
  const rejectCauses = {
    invalid_span: decoded.rejected.length,
    span_limits: 0,
    normalize_failed: 0,
  }
  decoded.spans.forEach((span, index) => {
    const violation = spanLimitViolation(span, limits)
    if (violation) {
      rejected.push({ index, reason: violation })
      rejectCauses.span_limits += 1
      return
    }
    try {
      const row = normalizeSpan(span, {
        projectId,
        priceBook,
        captureContent: content.captureContent,
      })
      if (content.captureContent) redactContent(row.attributes, content.redact)
      records.push(toSpanRecord(row))
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err)
      rejected.push({
        index,
        reason: `span ${span.spanId || index} could not be normalized: ${reason}`,
      })
      rejectCauses.normalize_failed += 1
    }
  })
  return { records, rejected, rejectCauses }
}

/** One English sentence for OTLP's `partialSuccess.errorMessage`, naming the first rejects. */
export function describeRejects(rejected: RejectedSpan[]): string {
  const shown = rejected.slice(0, 5).map((reject) => reject.reason)
  const more = rejected.length > shown.length ? `; and ${rejected.length - shown.length} more` : ''
  return `${rejected.length} span(s) rejected: ${shown.join('; ')}${more}`
}

function redactContent(attributes: Record<string, string>, redact: Redactor): void {
  for (const key of Object.keys(attributes)) {
    if (isContentAttribute(key)) attributes[key] = redact(attributes[key]!)
  }
}
