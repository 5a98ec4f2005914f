import { Agentmeter, Resource } from '../attributes/names'
import type { PriceBook } from '../pricing/price-book'
import type { Fingerprints, SpanRow, SpanStatus, TaskOutcome } from '../span/row'
import { readNumber, readString, readStringArray, stringifyValue } from './attribute-reader'
import { isContentAttribute } from './content-attributes'
import { CONVENTIONS, FALLBACK_CONVENTION } from './conventions'
import { BILLED_KINDS, priceSpan, readRequests } from './price-span'
import { aggregateUsageExtra, readUsage } from './read-usage'
import type { Attributes, OtlpSpan } from './otlp-span'

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
  const ownSdk = rules.name === 'agentmeter'

  const explicitTaskId = readString(attrs, [Agentmeter.taskId])
  const isRoot = span.parentSpanId === '' && explicitTaskId === ''
  let kind = rules.kind(attrs, span) ?? 'other'
  // A foreign workflow or chain span is the task only at the root of its trace; nested ones
  // (Traceloop `@task`, an AI SDK call inside an agent) are parts of the task around them.
  if (kind === 'task' && !ownSdk && !isRoot) kind = 'other'
  const isTaskRoot = (ownSdk && kind === 'task') || isRoot
  const taskName =
    readString(attrs, [Agentmeter.taskName, ...rules.taskName]) || (isTaskRoot ? span.name : '')

  const requestModel = readString(attrs, rules.requestModel)
  const responseModel = readString(attrs, rules.responseModel)
  const rawProvider = readString(attrs, rules.provider)
  const provider = rules.normalizeProvider ? rules.normalizeProvider(rawProvider) : rawProvider
  const billed = BILLED_KINDS.has(kind)
  // Read on every span, so that an aggregate parent's totals can be kept as a cross-check.
  const read = readUsage(attrs, rules)
  const usage = billed ? read.usage : null
  const requests = billed ? readRequests(attrs) : {}
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
      reported: billed ? (rules.reportedCost?.(attrs) ?? null) : null,
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
    usageExtra: billed ? {} : aggregateUsageExtra(read.usage),
    requests,
    usageNotes: billed ? [...readStringArray(attrs, [UsageNotesAttr]), ...read.notes] : [],
    cost: pricing.cost,
    sdkCostUsd: pricing.sdkCostUsd,
    reportedCostUsd: pricing.reportedCostUsd,
    toolCostUsd: pricing.toolCostUsd,
    outcome: toOutcome(readString(attrs, [Agentmeter.taskOutcome])),
    score: readNumber(attrs, [Agentmeter.taskScore]) ?? null,
    fingerprints: readFingerprints(attrs),
    attributes: stringifyAll(attrs, options.captureContent === true),
    resourceAttributes: resourceText(span.resource),
  }
}

// Every span of a resource shares the decoder's one resource object: its attributes are turned
// to text once per resource (per request), not once per span. The result is shared by those
// rows, so it is never modified after this.
const RESOURCE_TEXT = new WeakMap<Attributes, Record<string, string>>()

function resourceText(resource: Attributes): Record<string, string> {
  let text = RESOURCE_TEXT.get(resource)
  if (!text) {
    text = stringifyAll(resource, true)
    RESOURCE_TEXT.set(resource, text)
  }
  return text
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
      .filter((value) => Number.isSafeInteger(value) && value >= 0),
    minhash: readStringArray(attrs, [Agentmeter.minhash]),
    toolArgsHash: readString(attrs, [Agentmeter.toolArgsHash]),
    toolResultHash: readString(attrs, [Agentmeter.toolResultHash]),
  }
}

function stringifyAll(attrs: Attributes, keepContent: boolean): Record<string, string> {
  const out: Record<string, string> = {}
  // for-in rather than Object.entries: no array of pairs per span (decoded attributes are plain
  // objects with own properties only).
  for (const key in attrs) {
    if (!keepContent && isContentAttribute(key)) continue
    const value = attrs[key]!
    out[key] = typeof value === 'string' ? value : stringifyValue(value)
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
  // Milliseconds are the digits but the last six: no BigInt for the usual digit string.
  if (nanos.length > 6 && nanos.length <= 21 && /^\d+$/.test(nanos)) {
    return new Date(Number(nanos.slice(0, -6)))
  }
  try {
    return new Date(Number(BigInt(nanos) / 1_000_000n))
  } catch {
    return new Date()
  }
}
