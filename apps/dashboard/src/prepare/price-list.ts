import type { PriceEntry } from '../api/pricing'
import { formatUsdExact } from './format-money'
import { NO_VALUE } from './placeholders'

export interface PriceRow {
  id: string
  kind: string
  name: string
  provider: string
  /** What the entry charges, e.g. `$2.00 in / $8.00 out per M` or `$0.005 per call`. */
  price: string
  effectiveFrom: string
}

/** A stored price, exact (`2.000000000000` reads `$2.00`); a missing one reads `—`, not $0. */
export function priceText(value: string | null): string {
  return value === null ? NO_VALUE : formatUsdExact(value)
}

/** The price book as table rows: models first, then tools, then deployments. */
export function preparePriceList(entries: readonly PriceEntry[]): PriceRow[] {
  const order = { model: 0, tool: 1, deployment: 2 }
  return [...entries]
    .sort((a, b) => order[a.kind] - order[b.kind] || a.name.localeCompare(b.name))
    .map((entry) => ({
      id: entry.id,
      kind: entry.kind,
      name: entry.name,
      provider: entry.provider || 'any',
      price:
        entry.kind === 'model'
          ? `${priceText(entry.inputMtok)} in / ${priceText(entry.outputMtok)} out per M` +
            (entry.cacheReadMtok === null ? '' : `, cached ${priceText(entry.cacheReadMtok)}`)
          : entry.kind === 'tool'
            ? `${priceText(entry.perCallUsd)} per call`
            : `runs ${entry.baseModel}`,
      effectiveFrom: entry.effectiveFrom.slice(0, 16).replace('T', ' ') + ' UTC',
    }))
}
