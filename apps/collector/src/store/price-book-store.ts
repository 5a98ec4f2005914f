import { randomUUID } from 'node:crypto'
import type { ClickHouseClient } from '@clickhouse/client'
import {
  type CustomModelPrice,
  type PriceBook,
  type ToolPrice,
  picoToUsd,
  usdToPico,
} from '@agentmeter/core'
import { RefreshAheadCache } from './refresh-ahead-cache'

export type PriceEntryKind = 'model' | 'tool' | 'deployment'

/** One price book entry as the API shows it (decimals as strings, exact). */
export interface PriceEntry {
  id: string
  kind: PriceEntryKind
  provider: string
  /** Model name, tool name, or deployment name. */
  name: string
  /** For deployments: the base model they run. */
  baseModel: string
  effectiveFrom: string
  inputMtok: string | null
  outputMtok: string | null
  cacheReadMtok: string | null
  cacheWriteMtok: string | null
  cacheWrite1hMtok: string | null
  perCallUsd: string | null
  note: string
  createdAt: string
}

export type NewPriceEntry = Omit<PriceEntry, 'id' | 'createdAt'>

interface EntryRow {
  id: string
  kind: PriceEntryKind
  provider: string
  name: string
  base_model: string
  effective_from: string
  input_mtok: string | null
  output_mtok: string | null
  cache_read_mtok: string | null
  cache_write_mtok: string | null
  cache_write_1h_mtok: string | null
  per_call_usd: string | null
  note: string
  created_at: string
}

const DECIMALS = [
  'input_mtok',
  'output_mtok',
  'cache_read_mtok',
  'cache_write_mtok',
  'cache_write_1h_mtok',
  'per_call_usd',
] as const

/** How long a process trusts its cached copy of a book written by another process. */
const CACHE_MILLIS = 10_000

/**
 * Reads and writes project price books. Ingest prices every span with its project's book, so
 * books are cached per project; a write through this store drops that project's copy at once,
 * and copies expire after 10 s so that writes by another collector on the same server reach
 * this one too.
 */
export class PriceBookStore {
  private readonly cache = new RefreshAheadCache<PriceBook>(CACHE_MILLIS)

  constructor(private readonly client: ClickHouseClient) {}

  async list(projectId: string): Promise<PriceEntry[]> {
    const decimals = DECIMALS.map((column) => `toString(${column}) AS ${column}`).join(', ')
    const result = await this.client.query({
      query: `SELECT id, kind, provider, name, base_model, toString(effective_from) AS effective_from,
          ${decimals}, note, toString(created_at) AS created_at
        FROM price_book FINAL
        WHERE project_id = {projectId:String} AND NOT deleted
        ORDER BY kind, name, effective_from`,
      query_params: { projectId },
      format: 'JSONEachRow',
    })
    return (await result.json<EntryRow>()).map(toEntry)
  }

  /** The project's book in core's shape, for pricing. */
  async book(projectId: string): Promise<PriceBook> {
    // While the store is unavailable, the last copy read prices ingest into the spool.
    return this.cache.get(projectId, async () => toPriceBook(await this.list(projectId)))
  }

  async add(projectId: string, entry: NewPriceEntry): Promise<PriceEntry> {
    const id = `pr_${randomUUID().replace(/-/g, '').slice(0, 16)}`
    await this.client.insert({
      table: 'price_book',
      values: [
        {
          project_id: projectId,
          id,
          kind: entry.kind,
          provider: entry.provider,
          name: entry.name,
          base_model: entry.baseModel,
          effective_from: entry.effectiveFrom,
          input_mtok: entry.inputMtok,
          output_mtok: entry.outputMtok,
          cache_read_mtok: entry.cacheReadMtok,
          cache_write_mtok: entry.cacheWriteMtok,
          cache_write_1h_mtok: entry.cacheWrite1hMtok,
          per_call_usd: entry.perCallUsd,
          note: entry.note,
        },
      ],
      format: 'JSONEachRow',
    })
    this.cache.delete(projectId)
    const stored = (await this.list(projectId)).find((candidate) => candidate.id === id)
    if (!stored) throw new Error(`price entry ${id} was not readable after its insert`)
    return stored
  }

  /** Removes an entry (an insert marking it deleted). Returns false when there is none. */
  async remove(projectId: string, id: string): Promise<boolean> {
    const existing = (await this.list(projectId)).find((entry) => entry.id === id)
    if (!existing) return false
    await this.client.insert({
      table: 'price_book',
      values: [
        {
          project_id: projectId,
          id,
          kind: existing.kind,
          provider: existing.provider,
          name: existing.name,
          base_model: existing.baseModel,
          effective_from: existing.effectiveFrom,
          note: existing.note,
          deleted: true,
        },
      ],
      format: 'JSONEachRow',
    })
    this.cache.delete(projectId)
    return true
  }
}

function toEntry(row: EntryRow): PriceEntry {
  const decimal = (value: string | null) => (value === null ? null : picoToUsd(usdToPico(value)))
  return {
    id: row.id,
    kind: row.kind,
    provider: row.provider,
    name: row.name,
    baseModel: row.base_model,
    effectiveFrom: toIso(row.effective_from),
    inputMtok: decimal(row.input_mtok),
    outputMtok: decimal(row.output_mtok),
    cacheReadMtok: decimal(row.cache_read_mtok),
    cacheWriteMtok: decimal(row.cache_write_mtok),
    cacheWrite1hMtok: decimal(row.cache_write_1h_mtok),
    perCallUsd: decimal(row.per_call_usd),
    note: row.note,
    createdAt: toIso(row.created_at),
  }
}

/** Entries in core's `PriceBook` shape. */
export function toPriceBook(entries: readonly PriceEntry[]): PriceBook {
  const models: CustomModelPrice[] = []
  const tools: ToolPrice[] = []
  const deployments: Record<string, string> = {}
  for (const entry of entries) {
    const effectiveFrom = new Date(entry.effectiveFrom)
    if (entry.kind === 'model') {
      models.push({
        id: entry.id,
        provider: entry.provider,
        model: entry.name,
        effectiveFrom,
        inputMtok: entry.inputMtok ?? '0',
        outputMtok: entry.outputMtok ?? '0',
        cacheReadMtok: entry.cacheReadMtok,
        cacheWriteMtok: entry.cacheWriteMtok,
        cacheWrite1hMtok: entry.cacheWrite1hMtok,
        perCallUsd: entry.perCallUsd,
      })
    } else if (entry.kind === 'tool') {
      tools.push({
        id: entry.id,
        toolName: entry.name,
        effectiveFrom,
        perCallUsd: entry.perCallUsd ?? '0',
      })
    } else {
      deployments[entry.name] = entry.baseModel
    }
  }
  return { models, tools, deployments }
}

/** `2026-12-04 06:00:00.123` (ClickHouse text) to ISO 8601. */
function toIso(value: string): string {
  const [date = '', time = '00:00:00'] = value.split(' ')
  const [clock = '00:00:00', fraction = ''] = time.split('.')
  return `${date}T${clock}.${fraction.padEnd(3, '0').slice(0, 3)}Z`
}
