import { loadConfig } from '../config'
import { openStoreClient, storeClientOptions } from '../store/client'
import { migrate } from '../store/migrations'
import { keyPrefix, ProjectStore } from '../store/projects'
import { parseScopes } from '../api/admin-routes'
import { readLocalCollector } from './local-collector'

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
  let key: string
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
    const running = readLocalCollector(dataDir)
    key = await createThroughCollector(
      config.adminToken ?? running?.adminToken,
      running?.url ?? `http://${config.host}:${config.port}`,
      options.project,
      scopes,
    )
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
  const response = await fetch(`${baseUrl}/api/v1/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ project, scopes }),
  })
  const body = (await response.json()) as { key?: string; error?: string }
  if (!response.ok || !body.key)
    throw new Error(`collector refused: ${body.error ?? response.status}`)
  return body.key
}

function isLockError(err: unknown): boolean {
  // chDB reports the lock on stderr and throws a generic connection error.
  return (
    err instanceof Error &&
    /Cannot lock file|already running|Failed to create connection/i.test(err.message)
  )
}
