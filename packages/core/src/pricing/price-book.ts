/**
 * A project's own prices: models it pays a negotiated (or not yet catalogued) price for, paid
 * tools billed per call, and the deployment map that names the base model behind an Azure
 * deployment or a Bedrock application inference profile. Each price has an effective date and
 * wins over the catalog from that instant on; earlier calls keep the catalog's price.
 */
export interface CustomModelPrice {
  id: string
  /** Catalog provider id or provider name it applies to; '' for any provider. */
  provider: string
  /** Model name as spans carry it (compared case-insensitively, after name resolution). */
  model: string
  effectiveFrom: Date
  /** USD per million tokens, decimal strings (exact). */
  inputMtok: string
  outputMtok: string
  /** Null: a cache read costs the input price. */
  cacheReadMtok: string | null
  /** Null: a cache write costs the input price. */
  cacheWriteMtok: string | null
  /** Null: a 1-hour write costs the (5-minute) write price. */
  cacheWrite1hMtok: string | null
  /** A flat fee per call on top of the tokens (USD), or null. */
  perCallUsd: string | null
}

/** A paid tool's per-call fee, joined to tool spans by tool name. */
export interface ToolPrice {
  id: string
  toolName: string
  effectiveFrom: Date
  perCallUsd: string
}

export interface PriceBook {
  models: readonly CustomModelPrice[]
  tools: readonly ToolPrice[]
  /** Deployment or profile name to base model (see `ModelNameInput.deployments`). */
  deployments: Readonly<Record<string, string>>
}

export const EMPTY_PRICE_BOOK: PriceBook = Object.freeze({
  models: [],
  tools: [],
  deployments: {},
})

/**
 * The project's price for a call: among entries for one of `names` (most specific first) and a
 * matching provider, the one with the latest effective date not after `at`.
 */
export function findCustomPrice(
  book: PriceBook,
  providerIds: ReadonlyArray<string | undefined>,
  names: readonly string[],
  at: Date,
): CustomModelPrice | null {
  const providers = new Set(providerIds.filter(Boolean).map((id) => id!.toLowerCase()))
  for (const name of names) {
    const wanted = name.toLowerCase()
    let best: CustomModelPrice | null = null
    for (const entry of book.models) {
      if (entry.model.trim().toLowerCase() !== wanted) continue
      if (entry.provider !== '' && !providers.has(entry.provider.toLowerCase())) continue
      if (entry.effectiveFrom.getTime() > at.getTime()) continue
      if (!best || entry.effectiveFrom.getTime() > best.effectiveFrom.getTime()) best = entry
    }
    if (best) return best
  }
  return null
}

/** The tool's fee in effect at `at`, or null. Tool names compare case-insensitively. */
export function findToolPrice(book: PriceBook, toolName: string, at: Date): ToolPrice | null {
  const wanted = toolName.trim().toLowerCase()
  if (wanted === '') return null
  let best: ToolPrice | null = null
  for (const entry of book.tools) {
    if (entry.toolName.trim().toLowerCase() !== wanted) continue
    if (entry.effectiveFrom.getTime() > at.getTime()) continue
    if (!best || entry.effectiveFrom.getTime() > best.effectiveFrom.getTime()) best = entry
  }
  return best
}
