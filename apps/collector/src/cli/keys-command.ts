import { loadConfig } from '../config'
import { openStoreClient, storeClientOptions } from '../store/client'
import { migrate } from '../store/migrations'
import { keyPrefix, ProjectStore } from '../store/projects'
import { parseScopes } from '../api/admin-routes'
import { collectorHolding, isLockError } from './held-store'
import { readLocalCollector, type LocalCollector } from './local-collector'
import { collectorApi } from './store-or-collector'

export interface KeysCreateOptions {
  project: string
  scopes: string
  json: boolean
  dataDir?: string
}

/**
 * Creates a key on the local store, or, when a running collector holds the embedded store,
 * through that collector's admin API (the engine belongs to one process).
 */
export async function createKeyCommand(options: KeysCreateOptions): Promise<void> {
  const config = loadConfig()
  const scopes = parseScopes(options.scopes)
  const dataDir = options.dataDir ?? config.dataDir
  const throughCollector = (running: LocalCollector | null) =>
    createThroughCollector(
      config.adminToken ?? running?.adminToken,
      running?.url ?? `http://${config.host}:${config.port}`,
      options.project,
      scopes,
    )
  const holding = collectorHolding(config, dataDir)
  let key: string
  if (holding) {
    key = await throughCollector(holding)
  } else {
    try {
      const store = await openStoreClient(storeClientOptions(config, dataDir))
      try {
        await migrate(store.client)
        const projects = new ProjectStore(store.client)
        const project = await projects.ensureProject(options.project)
        key = await projects.createKey(project.id, scopes)
      } finally {
        await store.client.close()
      }
    } catch (err) {
      if (!isLockError(err)) throw err
      key = await throughCollector(readLocalCollector(dataDir))
    }
  }
  if (options.json)
    console.log(JSON.stringify({ key, prefix: keyPrefix(key), project: options.project, scopes }))
  else console.log(key)
}

async function createThroughCollector(
  adminToken: string | undefined,
  baseUrl: string,
  project: string,
  scopes: string[],
): Promise<string> {
  if (!adminToken) {
    throw new Error(
      'the data directory is in use by a running collector that left no address in it; stop that collector, or set AGENTMETER_ADMIN_TOKEN to its admin token',
    )
  }
  const body = await collectorApi(baseUrl, adminToken).call<{ key?: string }>(
    'POST',
    '/api/v1/admin/keys',
    { project, scopes },
  )
  if (!body.key) throw new Error('the collector created no key')
  return body.key
}
