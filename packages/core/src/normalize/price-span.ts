import { Agentmeter, PricingAttr } from '../attributes/names'
import { priceCall, type RequestCounts } from '../pricing/price'
import { EMPTY_PRICE_BOOK, type PriceBook } from '../pricing/price-book'
import { priceToolCall } from '../pricing/tool-price'
import type { CostInfo, SpanKind } from '../span/row'
import type { Usage } from '../usage/usage'
import { readNumber, readString } from './attribute-reader'
import { chooseCost, toUsdString } from './choose-cost'
import type { ReportedCost } from './conventions'
import type { Attributes } from './otlp-span'

/** What pricing needs of a span: the same at ingest and when a stored row is repriced. */
export interface SpanPricingInput {
  kind: SpanKind
  provider: string
  requestModel: string
  responseModel: string
  toolName: string
  usage: Usage | null
  requests: RequestCounts
  /** When the span started: selects historic and custom prices. */
  at: Date
  /** The span's attributes (decoded values, or the stored text of them). */
  attributes: Attributes
  /** A cost the span's convention reports (a provider's bill, or an instrumentation's estimate). */
  reported?: ReportedCost | null
}

export interface SpanPricing {
  cost: CostInfo
  sdkCostUsd: string | null
  reportedCostUsd: string | null
  toolCostUsd: string | null
}

/** Kinds whose usage is billed: only spans that made the provider call carry cost. */
export const BILLED_KINDS: ReadonlySet<SpanKind> = new Set(['llm', 'embedding'])

/**
 * Prices one span with a project's price book: model calls by `priceCall`, tool calls by the
 * app's reported fee or the project's tool prices. Pure, so that reprice gives the same answer
 * ingest would give today.
 */
export function priceSpan(
  input: SpanPricingInput,
  priceBook: PriceBook = EMPTY_PRICE_BOOK,
): SpanPricing {
  const attrs = input.attributes
  const sdkCostUsd = readUsd(attrs, [Agentmeter.costUsd])
  // A provider's own bill (ours in `agentmeter.cost.reported_usd`, or one a convention found)
  // is what the call cost; an instrumentation's estimate only stands in for a missing price.
  const ownBill = readUsd(attrs, [PricingAttr.reportedCostUsd])
  const reported: ReportedCost | null = ownBill
    ? { usd: Number(ownBill), billed: true, source: PricingAttr.reportedCostUsd }
    : (input.reported ?? null)
  const reportedCostUsd = ownBill ?? toUsdString(reported?.usd)
  const appToolCost = readUsd(attrs, [Agentmeter.toolCostUsd])

  if (input.kind === 'tool') {
    const tool = priceToolCall({
      toolName: input.toolName,
      at: input.at,
      appCostUsd: appToolCost,
      priceBook,
    })
    return {
      cost: { ...notBilled(input.kind), source: tool.source, reason: tool.reason },
      sdkCostUsd,
      reportedCostUsd,
      toolCostUsd: tool.toolCostUsd,
    }
  }
  if (!BILLED_KINDS.has(input.kind)) {
    return { cost: notBilled(input.kind), sdkCostUsd, reportedCostUsd, toolCostUsd: appToolCost }
  }

  const computed = priceCall({
    provider: input.provider,
    model: input.responseModel || input.requestModel,
    requestModel: input.requestModel,
    responseModel: input.responseModel,
    usage: input.usage,
    timestamp: input.at,
    requests: input.requests,
    providerUrl: readString(attrs, PricingAttr.endpointKeys),
    serviceTier: readString(attrs, PricingAttr.serviceTierKeys),
    inferenceGeo: readString(attrs, [PricingAttr.inferenceGeo]),
    priceBook,
  })
  return {
    cost: chooseCost(computed, reported, reportedCostUsd, sdkCostUsd),
    sdkCostUsd,
    reportedCostUsd,
    toolCostUsd: appToolCost,
  }
}

/** Per-call units from the span's attributes. */
export function readRequests(attrs: Attributes): RequestCounts {
  const requests: RequestCounts = {}
  const read = (key: string, unit: keyof RequestCounts) => {
    const value = readNumber(attrs, [key])
    if (value !== undefined && value > 0) requests[unit] = Math.round(value)
  }
  read(Agentmeter.webSearchRequests, 'webSearches')
  read(Agentmeter.fileSearchRequests, 'fileSearches')
  read(PricingAttr.codeExecutionRequests, 'codeExecutions')
  return requests
}

function notBilled(kind: SpanKind): CostInfo {
  return {
    priced: false,
    costUsd: null,
    inputCostUsd: null,
    outputCostUsd: null,
    source: null,
    catalogVersion: '',
    matchedProvider: '',
    matchedModel: '',
    tier: '',
    reason: `${kind} spans are not billed`,
  }
}

/** An amount attribute as a `Decimal(38, 12)` string; corrupt amounts read as absent. */
function readUsd(attrs: Attributes, keys: readonly string[]): string | null {
  return toUsdString(readNumber(attrs, keys))
}
