import { parsePriceEntry } from '../api/price-entry-input'
import { PriceBookStore, type PriceEntry } from '../store/price-book-store'
import { viaStoreOrCollector, type Target } from './store-or-collector'
import { UsageError } from './usage-error'

export interface PricesCommand extends Target {
  action: 'list' | 'add' | 'delete'
  json: boolean
  /** For add: the entry's fields as given on the command line (validated like the API's). */
  fields?: Record<string, string | undefined>
  /** For delete: the entry id. */
  id?: string
}

/** `pnpm agentmeter prices list|add|delete`: the project's price book. */
export async function pricesCommand(options: PricesCommand): Promise<void> {
  if (options.action === 'list') {
    const via = await viaStoreOrCollector(options, (client, projectId) =>
      new PriceBookStore(client).list(projectId),
    )
    const prices =
      'local' in via
        ? via.local
        : (await via.remote.call<{ prices: PriceEntry[] }>('GET', '/api/v1/prices')).prices
    if (options.json) console.log(JSON.stringify({ prices }))
    else if (prices.length === 0) console.log('no prices in this project (the catalog applies)')
    else for (const entry of prices) console.log(describe(entry))
    return
  }
  if (options.action === 'add') {
    const body = Object.fromEntries(
      Object.entries(options.fields ?? {}).filter(([, value]) => value !== undefined),
    )
    const entry = parsePriceEntry(body)
    const via = await viaStoreOrCollector(options, (client, projectId) =>
      new PriceBookStore(client).add(projectId, entry),
    )
    const price =
      'local' in via
        ? via.local
        : (await via.remote.call<{ price: PriceEntry }>('POST', '/api/v1/prices', body)).price
    console.log(options.json ? JSON.stringify({ price }) : describe(price))
    const note = missingCacheRates(price)
    if (note) console.error(`agentmeter: note: ${note}`)
    return
  }
  const id = options.id
  if (!id) throw new UsageError('prices delete needs the entry id (as prices list shows it)')
  const via = await viaStoreOrCollector(options, (client, projectId) =>
    new PriceBookStore(client).remove(projectId, id),
  )
  if ('local' in via) {
    if (!via.local) throw new Error(`no price ${JSON.stringify(id)} in this project`)
  } else await via.remote.call('DELETE', `/api/v1/prices/${encodeURIComponent(id)}`)
  console.log(options.json ? JSON.stringify({ deleted: id }) : `deleted ${id}`)
}

function describe(entry: PriceEntry): string {
  const since = `from ${entry.effectiveFrom}`
  if (entry.kind === 'deployment')
    return `${entry.id}  deployment ${entry.name} -> ${entry.baseModel}`
  if (entry.kind === 'tool')
    return `${entry.id}  tool ${entry.name}  $${trim(entry.perCallUsd)}/call  ${since}`
  const provider = entry.provider ? `${entry.provider}/` : ''
  return `${entry.id}  model ${provider}${entry.name}  in $${trim(entry.inputMtok)}/M  out $${trim(entry.outputMtok)}/M  ${since}`
}

/**
 * What a model price without cache rates means, said when it is added: the cache tokens of its
 * calls are charged at the input rate (never less than they may cost), not at the catalog's
 * discount, which this price replaces.
 */
function missingCacheRates(entry: PriceEntry): string | undefined {
  if (entry.kind !== 'model') return undefined
  const missing = [
    entry.cacheReadMtok === null ? '--cache-read' : '',
    entry.cacheWriteMtok === null ? '--cache-write' : '',
  ].filter(Boolean)
  if (missing.length === 0) return undefined
  return `no ${missing.join(' or ')} rate: this model's cache ${missing.length === 2 ? 'reads and writes' : missing[0] === '--cache-read' ? 'reads' : 'writes'} are charged at its input rate; give ${missing.join(' and ')} for the provider's cache prices`
}

/** A stored decimal (`1.000000000000`) as written (`1`): the digits are exact either way. */
function trim(value: string | null): string {
  if (value === null) return 'unset'
  return value.includes('.') ? value.replace(/\.?0+$/, '') : value
}
