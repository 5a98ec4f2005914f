import { apiPath, requestJson } from './client'
import { list, num, record, str } from './decode'
import type { TimeWindow } from './types'

/** One model behind unpriced calls (`GET /api/v1/unpriced`). */
export interface UnpricedModel {
  provider: string
  model: string
  calls: number
  share: number
  reason: string
}

export interface UnpricedReport {
  totalCalls: number
  unpricedCalls: number
  unpricedShare: number
  models: UnpricedModel[]
}

/** A price book entry (`GET /api/v1/prices`); decimals stay strings, as exact as stored. */
export interface PriceEntry {
  id: string
  kind: 'model' | 'tool' | 'deployment'
  provider: string
  name: string
  baseModel: string
  effectiveFrom: string
  inputMtok: string | null
  outputMtok: string | null
  cacheReadMtok: string | null
  perCallUsd: string | null
}

/** The body of `POST /api/v1/prices` for a model price. */
export interface NewModelPrice {
  model: string
  provider: string
  inputMtok: string
  outputMtok: string
  cacheReadMtok: string
  effectiveFrom: string
}

const KINDS = ['model', 'tool', 'deployment'] as const

function decimalOrNull(value: unknown, path: string): string | null {
  return value === null || value === undefined ? null : str(value, path)
}

export function decodeUnpriced(json: unknown): UnpricedReport {
  const body = record(json, 'body')
  return {
    totalCalls: num(body.totalCalls, 'totalCalls'),
    unpricedCalls: num(body.unpricedCalls, 'unpricedCalls'),
    unpricedShare: num(body.unpricedShare, 'unpricedShare'),
    models: list(body.models, 'models').map((value, index) => {
      const row = record(value, `models[${index}]`)
      return {
        provider: str(row.provider, `models[${index}].provider`),
        model: str(row.model, `models[${index}].model`),
        calls: num(row.calls, `models[${index}].calls`),
        share: num(row.share, `models[${index}].share`),
        reason: str(row.reason, `models[${index}].reason`),
      }
    }),
  }
}

export function decodePrices(json: unknown): PriceEntry[] {
  return list(record(json, 'body').prices, 'prices').map((value, index) => {
    const path = `prices[${index}]`
    const row = record(value, path)
    const kind = str(row.kind, `${path}.kind`)
    if (!(KINDS as readonly string[]).includes(kind))
      throw new Error(`Unexpected API response: ${path}.kind should be one of ${KINDS.join(', ')}`)
    return {
      id: str(row.id, `${path}.id`),
      kind: kind as PriceEntry['kind'],
      provider: str(row.provider, `${path}.provider`),
      name: str(row.name, `${path}.name`),
      baseModel: str(row.baseModel, `${path}.baseModel`),
      effectiveFrom: str(row.effectiveFrom, `${path}.effectiveFrom`),
      inputMtok: decimalOrNull(row.inputMtok, `${path}.inputMtok`),
      outputMtok: decimalOrNull(row.outputMtok, `${path}.outputMtok`),
      cacheReadMtok: decimalOrNull(row.cacheReadMtok, `${path}.cacheReadMtok`),
      perCallUsd: decimalOrNull(row.perCallUsd, `${path}.perCallUsd`),
    }
  })
}

/** `GET /api/v1/unpriced`. */
export async function fetchUnpriced(query: TimeWindow, signal?: AbortSignal) {
  return decodeUnpriced(await requestJson(apiPath('/unpriced', { ...query }), { signal }))
}

/** `GET /api/v1/prices`. */
export async function fetchPrices(signal?: AbortSignal): Promise<PriceEntry[]> {
  return decodePrices(await requestJson(apiPath('/prices'), { signal }))
}

/** `POST /api/v1/prices` (needs a key with the admin scope); empty optional fields left out. */
export async function createModelPrice(price: NewModelPrice): Promise<void> {
  const body = Object.fromEntries(Object.entries(price).filter(([, value]) => value.trim() !== ''))
  await requestJson(apiPath('/prices'), { method: 'POST', body: { kind: 'model', ...body } })
}

/** `DELETE /api/v1/prices/:id`. */
export async function deletePrice(id: string): Promise<void> {
  await requestJson(apiPath(`/prices/${encodeURIComponent(id)}`), { method: 'DELETE' })
}
