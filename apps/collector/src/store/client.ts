import fs from 'node:fs'
import { createClient, type ClickHouseClient } from '@clickhouse/client'
import type { CollectorConfig } from '../config'

type ChdbConnection = NonNullable<Parameters<typeof createClient>[0]>['connection']

/**
 * Per-query settings differ between the two: a server applies a query's `clickhouse_settings`
 * to that query alone, while the embedded engine SETs them on its one session, where they stay
 * for every later query. Settings that must not outlive their query (such as
 * `insert_deduplication_token`) are therefore only sent to a server (see span-writer.ts).
 */
export interface StoreClientOptions {
  /** A ClickHouse server; when absent, the embedded engine (chDB) under `dataDir`. */
  url?: string
  username?: string
  password?: string
  /** Set in cluster mode: inserts into Distributed tables then wait for every shard. */
  cluster?: string
  dataDir: string
}

/** The store a configuration names, in its data directory unless `dataDir` says otherwise. */
export function storeClientOptions(
  config: CollectorConfig,
  dataDir = config.dataDir,
): StoreClientOptions {
  return {
    url: config.clickhouseUrl,
    username: config.clickhouseUser,
    password: config.clickhousePassword,
    cluster: config.clickhouseCluster,
    dataDir,
  }
}

export interface StoreClient {
  client: ClickHouseClient
  /** `embedded` or `server`, for /readyz and logs. */
  mode: 'embedded' | 'server'
}

/**
 * Opens the store. The embedded engine belongs to one process: a second process opening the
 * same directory fails at once with chDB's lock error, which callers report as such.
 */
export async function openStoreClient(options: StoreClientOptions): Promise<StoreClient> {
  if (options.url) {
    const client = createClient({
      url: options.url,
      username: options.username,
      password: options.password,
      clickhouse_settings: {
        date_time_input_format: 'best_effort',
        // A 200 means durable: a Distributed insert returns only once the shards have the rows.
        ...(options.cluster ? { distributed_foreground_insert: 1 } : {}),
      },
    })
    return { client, mode: 'server' }
  }
  fs.mkdirSync(options.dataDir, { recursive: true })
  // Loaded on demand so that a server deployment never loads the embedded engine (the image
  // does not even contain it).
  const { createChdbConnection } = await import('chdb/connection').catch((err: unknown) => {
    throw new Error(
      'the embedded ClickHouse engine (the optional package chdb) is not installed here; set AGENTMETER_CLICKHOUSE_URL to a ClickHouse server, or install with optional dependencies',
      { cause: err },
    )
  })
  // chDB builds its connection against its own copy of @clickhouse/client-common, whose types
  // differ from the client's only by package identity; the runtime contract is the same.
  const chdbConnection = createChdbConnection({ path: options.dataDir })
  const client = createClient({
    connection: chdbConnection as unknown as ChdbConnection,
    clickhouse_settings: { date_time_input_format: 'best_effort' },
  })
  RAW_INSERTS.set(client, (params) => chdbConnection.chdb.rawInsert(params).then(() => undefined))
  return { client, mode: 'embedded' }
}

/** An insert of rows already serialized in a text format, handed to the engine as bytes. */
export type RawInsert = (params: {
  table: string
  columns: readonly string[]
  format: 'JSONCompactEachRow' | 'TabSeparated'
  values: Buffer
  settings?: Record<string, string | number | boolean>
}) => Promise<void>

const RAW_INSERTS = new WeakMap<ClickHouseClient, RawInsert>()

/**
 * The embedded engine's byte-passthrough insert for `client`, or undefined for a server.
 * Through `client.insert` the chDB connection turns the body into one SQL string
 * (`INSERT ... FORMAT X\n<rows>`) that the engine then reads back; the raw insert hands it the
 * buffer as it is, and the engine's parallel parser splits it across threads.
 */
export function rawInsertOf(client: ClickHouseClient): RawInsert | undefined {
  return RAW_INSERTS.get(client)
}
