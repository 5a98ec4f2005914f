import { picoToUsd, usdToPico } from '@agentmeter/core'
import { HttpError } from '../errors'
import type { NewPriceEntry, PriceEntryKind } from '../store/price-book-store'
import { parseInstant } from '../store/queries/time-range'

const KINDS: readonly PriceEntryKind[] = ['model', 'tool', 'deployment']

/**
 * Validates a new price book entry (the body of `POST /api/v1/prices`, or the CLI's flags).
 * Prices are decimal strings or numbers, kept exact; every error names the field, the value and
 * what was expected.
 */
export function parsePriceEntry(body: Record<string, unknown>): NewPriceEntry {
  const kind = body.kind ?? 'model'
  if (!KINDS.includes(kind as PriceEntryKind)) {
    throw new HttpError(400, `kind must be one of ${KINDS.join(', ')}, got ${JSON.stringify(kind)}`)
  }
  const entryKind = kind as PriceEntryKind
  const nameField = { model: 'model', tool: 'toolName', deployment: 'deployment' }[entryKind]
  const name = text(body, nameField, true)
  const entry: NewPriceEntry = {
    kind: entryKind,
    provider: text(body, 'provider', false),
    name,
    baseModel: entryKind === 'deployment' ? text(body, 'baseModel', true) : '',
    effectiveFrom: instant(body.effectiveFrom),
    inputMtok: decimal(body, 'inputMtok', entryKind === 'model'),
    outputMtok: decimal(body, 'outputMtok', entryKind === 'model'),
    cacheReadMtok: decimal(body, 'cacheReadMtok', false),
    cacheWriteMtok: decimal(body, 'cacheWriteMtok', false),
    cacheWrite1hMtok: decimal(body, 'cacheWrite1hMtok', false),
    perCallUsd: decimal(body, 'perCallUsd', entryKind === 'tool'),
    note: text(body, 'note', false),
  }
  return entry
}

function text(body: Record<string, unknown>, field: string, required: boolean): string {
  const value = body[field]
  if (value === undefined || value === null || value === '') {
    if (required) throw new HttpError(400, `${field} is required (a non-empty string)`)
    return ''
  }
  if (typeof value !== 'string' || value.trim() === '') {
    throw new HttpError(400, `${field} must be a non-empty string, got ${JSON.stringify(value)}`)
  }
  return value.trim()
}

function decimal(body: Record<string, unknown>, field: string, required: boolean): string | null {
  const value = body[field]
  if (value === undefined || value === null || value === '') {
    if (required) throw new HttpError(400, `${field} is required (USD as a decimal, e.g. "2.5")`)
    return null
  }
  let pico: bigint | null = null
  if (typeof value === 'number' || typeof value === 'string') {
    try {
      pico = usdToPico(value)
    } catch {
      pico = null
    }
  }
  if (pico === null || pico < 0n) {
    throw new HttpError(
      400,
      `${field} must be a non-negative decimal number of USD, got ${JSON.stringify(value)}`,
    )
  }
  return picoToUsd(pico)
}

/** `effectiveFrom`: ISO 8601 within what the store holds; default now (calls from now on). */
function instant(value: unknown): string {
  if (value === undefined || value === null || value === '') return new Date().toISOString()
  return parseInstant(
    'effectiveFrom',
    typeof value === 'string' ? value : String(value),
  ).toISOString()
}
