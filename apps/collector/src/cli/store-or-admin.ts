import { loadConfig } from '../config'
import { openStoreClient, storeClientOptions, type StoreClient } from '../store/client'
import { migrate } from '../store/migrations'
import { defaultCollectorUrl } from './collector-address'
import { collectorHolding, isLockError } from './held-store'
import { readLocalCollector, type LocalCollector } from './local-collector'
import { announceNewStore, requireStore } from './store-check'
import { collectorApi, type CollectorApi } from './store-or-collector'

export interface AdminTarget {
  /** `--data DIR` (default AGENTMETER_DATA_DIR). */
  dataDir?: string
  /** A missing embedded store is created (and said so on stderr); else the command refuses. */
  mayCreateStore?: boolean
  /** Bring the schema up to date before working on the store (not for `doctor`, which reports it). */
  migrate: boolean
}

/** What a command found, and the URL of the collector it went through (null: the store itself). */
export interface AdminAnswer<T> {
  value: T
  through: string | null
}

/**
 * Runs an instance-level command (keys, doctor) on the store when this process can open it, or
 * through the admin API of the collector that holds the embedded store: the engine belongs to
 * one process, and `start` leaves its address and a local admin token in the data directory
 * for this (AGENTMETER_ADMIN_TOKEN, when set, is used instead).
 */
export async function viaStoreOrAdmin<T>(
  target: AdminTarget,
  local: (store: StoreClient) => Promise<T>,
  remote: (api: CollectorApi) => Promise<T>,
): Promise<AdminAnswer<T>> {
  const config = loadConfig()
  const dataDir = target.dataDir ?? config.dataDir
  if (target.mayCreateStore) announceNewStore(config, dataDir)
  else requireStore(config, dataDir)
  const throughCollector = async (running: LocalCollector | null) => {
    const token = config.adminToken ?? running?.adminToken
    if (!token) {
      throw new Error(
        'the data directory is in use by a running collector that left no address in it; stop that collector, or set AGENTMETER_ADMIN_TOKEN to its admin token',
      )
    }
    const url = running?.url ?? defaultCollectorUrl(config)
    return { value: await remote(collectorApi(url, token)), through: url }
  }

  const holding = collectorHolding(config, dataDir)
  if (holding) return throughCollector(holding)
  let store: StoreClient
  try {
    store = await openStoreClient(storeClientOptions(config, dataDir))
  } catch (err) {
    // A collector that started between the look above and the open.
    if (!isLockError(err)) throw err
    return throughCollector(readLocalCollector(dataDir))
  }
  try {
    if (target.migrate) await migrate(store.client)
    return { value: await local(store), through: null }
  } finally {
    await store.client.close()
  }
}
