import type { PriceEntry } from '../api/pricing'

export interface PriceRow {
  id: string
  kind: string
  name: string
  provider: string
  /** What the entry charges, e.g. `$2 in / $8 out per M` or `$0.005 per call`. */
  price: string
  effectiveFrom: string
}

/** Trailing zeros off a stored decimal (`2.000000000000` reads `2`). */
export function trimDecimal(value: string | null): string {
  if (value === null) return '—'
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value
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
          ? `$${trimDecimal(entry.inputMtok)} in / $${trimDecimal(entry.outputMtok)} out per M` +
            (entry.cacheReadMtok === null ? '' : `, cached $${trimDecimal(entry.cacheReadMtok)}`)
          : entry.kind === 'tool'
            ? `$${trimDecimal(entry.perCallUsd)} per call`
            : `runs ${entry.baseModel}`,
      effectiveFrom: entry.effectiveFrom.slice(0, 16).replace('T', ' ') + ' UTC',
    }))
}
