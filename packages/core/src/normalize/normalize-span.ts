import { Agentmeter, Resource } from '../attributes/names'
import type { PriceBook } from '../pricing/price-book'
import type { Fingerprints, SpanRow, SpanStatus, TaskOutcome } from '../span/row'
import { sanitizeUsage, type RawUsage } from '../usage/sanitize'
import type { Usage } from '../usage/usage'
import {
  readBoolean,
  readNumber,
  readString,
  readStringArray,
  stringifyValue,
} from './attribute-reader'
import { isContentAttribute } from './content-attributes'
import { CONVENTIONS, FALLBACK_CONVENTION, type Convention } from './conventions'
import type { Attributes, OtlpSpan } from './otlp-span'
import { BILLED_KINDS, priceSpan, readRequests } from './price-span'

export interface NormalizeOptions {
  projectId: string
  /** Keep prompt and completion attributes on the row (off unless the project opts in). */
  captureContent?: boolean
  /** The project's custom prices, tool prices and deployment map; none when absent. */
  priceBook?: PriceBook
}

/** The SDK's notes on the provider's usage (how it was read), kept beside the collector's. */
const UsageNotesAttr = 'agentmeter.usage.notes'

/** Turns a decoded OTLP span into the canonical row, whatever convention produced it. */
export function normalizeSpan(span: OtlpSpan, options: NormalizeOptions): SpanRow {
  const attrs = span.attributes
  const convention = CONVENTIONS.find((candidate) => candidate.matches(attrs, span))
  const rules = convention ?? FALLBACK_CONVENTION
  const kind = rules.kind(attrs, span) ?? 'other'

  const explicitTaskId = readString(attrs, [Agentmeter.taskId])
  const isTaskRoot = kind === 'task' || (span.parentSpanId === '' && explicitTaskId === '')
  const taskName = readString(attrs, rules.taskName) || (isTaskRoot ? span.name : '')

  const requestModel = readString(attrs, rules.requestModel)
  const responseModel = readString(attrs, rules.responseModel)
  const provider = readString(attrs, rules.provider)
  const { usage, notes } = BILLED_KINDS.has(kind)
    ? readUsage(attrs, rules)
    : { usage: null, notes: [] }
  const requests = BILLED_KINDS.has(kind) ? readRequests(attrs) : {}
  const toolName = kind === 'tool' ? readString(attrs, rules.toolName) || span.name : ''
  const pricing = priceSpan(
    {
      kind,
      provider,
      requestModel,
      responseModel,
      toolName,
      usage,
      requests,
      at: nanosToDate(span.startTimeUnixNano),
      attributes: attrs,
    },
    options.priceBook,
  )

  return {
    projectId: options.projectId,
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    taskId: explicitTaskId || span.traceId,
    taskName,
    isTaskRoot,
    step: readString(attrs, [Agentmeter.stepName]),
    kind,
    name: span.name,
    convention: rules.name,
    serviceName: readString(span.resource, [Resource.serviceName]),
    environment: readString(span.resource, [Resource.environment, Resource.environmentLegacy]),
    provider,
    requestModel,
    responseModel,
    operation: readString(attrs, rules.operation),
    toolName,
    toolCallId: readString(attrs, rules.toolCallId),
    conversationId: readString(attrs, rules.conversationId),
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
    status: toStatus(span.statusCode),
    statusMessage: span.statusMessage,
    finishReasons: readStringArray(attrs, rules.finishReasons),
    usage,
    requests,
    usageNotes: [...readStringArray(attrs, [UsageNotesAttr]), ...notes],
    cost: pricing.cost,
    sdkCostUsd: pricing.sdkCostUsd,
    reportedCostUsd: pricing.reportedCostUsd,
    toolCostUsd: pricing.toolCostUsd,
    outcome: toOutcome(readString(attrs, [Agentmeter.taskOutcome])),
    score: readNumber(attrs, [Agentmeter.taskScore]) ?? null,
    fingerprints: readFingerprints(attrs),
    attributes: stringifyAll(attrs, options.captureContent === true),
    resourceAttributes: stringifyAll(span.resource, true),
  }
}

function readUsage(attrs: Attributes, rules: Convention): { usage: Usage | null; notes: string[] } {
  if (readBoolean(attrs, Agentmeter.usageKnown) === false) return { usage: null, notes: [] }
  const raw: RawUsage = {}
  let found = false
  for (const field of Object.keys(rules.usage) as Array<keyof Usage>) {
    const value = readNumber(attrs, rules.usage[field])
    if (value !== undefined) {
      raw[field] = value
      found = true
    }
  }
  // No count at all is unknown usage, not zero usage: the call stays unpriced.
  if (!found) return { usage: null, notes: [] }
  if (rules.inputExcludesCache) {
    raw.inputTokens =
      (raw.inputTokens ?? 0) + (raw.cacheReadTokens ?? 0) + (raw.cacheWriteTokens ?? 0)
  }
  return sanitizeUsage(raw)
}

function readFingerprints(attrs: Attributes): Fingerprints {
  return {
    requestHash: readString(attrs, [Agentmeter.requestHash]),
    responseHash: readString(attrs, [Agentmeter.responseHash]),
    systemHash: readString(attrs, [Agentmeter.systemHash]),
    toolsHash: readString(attrs, [Agentmeter.toolsHash]),
    prefixHashes: readStringArray(attrs, [Agentmeter.prefixHashes]),
    prefixTokens: readStringArray(attrs, [Agentmeter.prefixTokens])
      .map(Number)
      .filter((value) => Number.isInteger(value) && value >= 0),
    minhash: readStringArray(attrs, [Agentmeter.minhash]),
    toolArgsHash: readString(attrs, [Agentmeter.toolArgsHash]),
    toolResultHash: readString(attrs, [Agentmeter.toolResultHash]),
  }
}

function stringifyAll(attrs: Attributes, keepContent: boolean): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [key, value] of Object.entries(attrs)) {
    if (!keepContent && isContentAttribute(key)) continue
    out[key] = stringifyValue(value)
  }
  return out
}

function toStatus(code: number): SpanStatus {
  if (code === 2) return 'error'
  if (code === 1) return 'ok'
  return 'unset'
}

function toOutcome(value: string): TaskOutcome {
  return value === 'success' || value === 'failure' ? value : ''
}

function nanosToDate(nanos: string): Date {
  try {
    return new Date(Number(BigInt(nanos) / 1_000_000n))
  } catch {
    return new Date()
  }
}
