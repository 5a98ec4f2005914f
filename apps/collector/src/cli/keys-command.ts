import { parseScopes } from '../api/admin-routes'
import type { StoreClient } from '../store/client'
import { keyPrefix, ProjectStore, type KeyListing, type Project } from '../store/projects'
import { viaStoreOrAdmin } from './store-or-admin'
import type { CollectorApi } from './store-or-collector'
import { UsageError } from './usage-error'

/**
 * `agentmeter keys create | list | revoke`: project keys, on the store under `--data`, or
 * through the admin API of the collector that holds it (see store-or-admin.ts). A key is shown
 * once, when it is created; lists show its prefix (its id), never the key or its hash.
 */

export interface KeysCreateOptions {
  project: string
  scopes: string
  json: boolean
  dataDir?: string
}

export async function createKeyCommand(options: KeysCreateOptions): Promise<void> {
  const scopes = parseScopes(options.scopes)
  const { value: key } = await viaStoreOrAdmin(
    {
      dataDir: options.dataDir,
      // The first command on a new machine may be this one, before any start.
      mayCreateStore: true,
      migrate: true,
    },
    async ({ client }) => {
      const projects = new ProjectStore(client)
      const project = await projects.ensureProject(options.project)
      return projects.createKey(project.id, scopes)
    },
    async (api) => {
      const body = await api.call<{ key?: string }>('POST', '/api/v1/admin/keys', {
        project: options.project,
        scopes,
      })
      if (!body.key) throw new Error('the collector created no key')
      return body.key
    },
  )
  if (options.json)
    console.log(JSON.stringify({ key, prefix: keyPrefix(key), project: options.project, scopes }))
  else console.log(key)
}

export interface KeysListOptions {
  /** Only this project's keys. */
  project?: string
  json: boolean
  dataDir?: string
}

export async function listKeysCommand(options: KeysListOptions): Promise<void> {
  const { value: keys } = await viaStoreOrAdmin(
    { dataDir: options.dataDir, migrate: true },
    (store) => listFromStore(store, options.project),
    (api) => listFromCollector(api, options.project),
  )
  if (options.json) {
    console.log(JSON.stringify({ keys }))
    return
  }
  if (keys.length === 0) {
    const where = options.project ? ` in project ${JSON.stringify(options.project)}` : ''
    console.log(`no keys${where}`)
    return
  }
  const width = Math.max(...keys.map((key) => key.project.name.length))
  for (const key of keys) {
    console.log(
      [
        key.prefix,
        key.project.name.padEnd(width),
        key.scopes.join(',').padEnd('ingest,read,admin'.length),
        `created ${key.createdAt}`,
        key.revoked ? 'revoked' : 'active',
      ].join('  '),
    )
  }
}

export interface KeysRevokeOptions {
  /** The key's id (its prefix, as `keys list` shows it) or a leading part of it. */
  ref: string
  /** Only a key of this project. */
  project?: string
  json: boolean
  dataDir?: string
}

/** Revokes one key (every key with its id, should two share it) at once, everywhere. */
export async function revokeKeyCommand(options: KeysRevokeOptions): Promise<void> {
  const { value } = await viaStoreOrAdmin(
    { dataDir: options.dataDir, migrate: true },
    async (store) => {
      const key = chooseKey(await listFromStore(store, options.project), options.ref)
      const revoked = await new ProjectStore(store.client).revokeKey(key.prefix, key.project.id)
      return { key, revoked }
    },
    async (api) => {
      const key = chooseKey(await listFromCollector(api, options.project), options.ref)
      const query = `?project=${encodeURIComponent(key.project.name)}`
      const { revoked } = await api.call<{ revoked: number }>(
        'DELETE',
        `/api/v1/admin/keys/${encodeURIComponent(key.prefix)}${query}`,
      )
      return { key, revoked }
    },
  )
  const { key, revoked } = value
  if (options.json) {
    console.log(JSON.stringify({ prefix: key.prefix, project: key.project.name, revoked }))
    return
  }
  const count = revoked === 1 ? '' : ` (${revoked} keys share this id)`
  console.log(`revoked ${key.prefix} of project ${key.project.name}${count}`)
}

/** Fewest characters of a key's id that `keys revoke` takes, so `am_` alone names nothing. */
const MIN_REF_LENGTH = 6

/** The one active key whose id is `ref`, or starts with it; otherwise a usage error naming why. */
export function chooseKey(keys: KeyListing[], ref: string): KeyListing {
  const active = keys.filter((key) => !key.revoked)
  const exact = active.find((key) => key.prefix === ref)
  if (exact) return exact
  if (ref.length < MIN_REF_LENGTH) {
    throw new UsageError(
      `key id ${JSON.stringify(ref)} is too short: give the id "keys list" shows, or at least its first ${MIN_REF_LENGTH} characters`,
    )
  }
  const matches = active.filter((key) => key.prefix.startsWith(ref))
  const ids = [...new Set(matches.map((key) => key.prefix))]
  if (ids.length === 1) return matches[0]!
  if (ids.length > 1) {
    throw new UsageError(
      `key id ${JSON.stringify(ref)} matches ${ids.length} keys (${ids.join(', ')}); give more of it`,
    )
  }
  const revoked = keys.some((key) => key.revoked && key.prefix.startsWith(ref))
  throw new Error(
    `no active key with id ${JSON.stringify(ref)}${revoked ? ' (it is revoked already)' : ''}; "keys list" shows the ids`,
  )
}

async function listFromStore({ client }: StoreClient, name?: string): Promise<KeyListing[]> {
  const projects = new ProjectStore(client)
  if (name === undefined) return projects.listKeys()
  const project: Project | null = await projects.findProjectByName(name)
  if (!project) throw new Error(`no project named ${JSON.stringify(name)} in the store`)
  return projects.listKeys(project.id)
}

async function listFromCollector(api: CollectorApi, name?: string): Promise<KeyListing[]> {
  const query = name === undefined ? '' : `?project=${encodeURIComponent(name)}`
  const { keys } = await api.call<{ keys: KeyListing[] }>('GET', `/api/v1/admin/keys${query}`)
  return keys
}
