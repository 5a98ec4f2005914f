import type { ClickHouseClient } from '@clickhouse/client'
import { loadConfig } from '../config'
import { openStoreClient, storeClientOptions } from '../store/client'
import { migrate } from '../store/migrations'
import { ProjectStore } from '../store/projects'
import { collectorHolding, isLockError } from './held-store'
import { readLocalCollector } from './local-collector'
import { requireStore } from './store-check'

export interface Target {
  /** `--data DIR` (default AGENTMETER_DATA_DIR). */
  dataDir?: string
  /** `--project NAME`: the project, when the store is opened directly. */
  project?: string
  /** `--endpoint URL`: go through this collector's API without trying the store. */
  endpoint?: string
  /** `--key KEY` (default AGENTMETER_API_KEY): a project key for the collector's API. */
  key?: string
}

export type Via<T> = { local: T } | { remote: CollectorApi }

/** A running collector's JSON API, called with a project key. */
export interface CollectorApi {
  baseUrl: string
  call<T>(method: string, path: string, body?: unknown): Promise<T>
}

/**
 * Runs `local` on the store when this process can open it; when a running collector holds the
 * embedded store (the engine belongs to one process) or `--endpoint` is given, returns that
 * collector's API instead, for the command to go through it.
 */
export async function viaStoreOrCollector<T>(
  target: Target,
  local: (client: ClickHouseClient, projectId: string) => Promise<T>,
): Promise<Via<T>> {
  const config = loadConfig()
  const dataDir = target.dataDir ?? config.dataDir
  if (!target.endpoint) requireStore(config, dataDir)
  if (!target.endpoint && !collectorHolding(config, dataDir)) {
    try {
      const store = await openStoreClient(storeClientOptions(config, dataDir))
      try {
        await migrate(store.client)
        if (!target.project)
          throw new Error('--project NAME is needed when the store is opened directly')
        const project = await new ProjectStore(store.client).findProjectByName(target.project)
        if (!project)
          throw new Error(`no project named ${JSON.stringify(target.project)} in the store`)
        return { local: await local(store.client, project.id) }
      } finally {
        await store.client.close()
      }
    } catch (err) {
      if (!isLockError(err)) throw err
    }
  }
  const key = target.key ?? process.env.AGENTMETER_API_KEY
  // The address a collector started on this data directory left there, else the configured one.
  const running = readLocalCollector(dataDir)
  const baseUrl = (
    target.endpoint ??
    running?.url ??
    `http://${config.host}:${config.port}`
  ).replace(/\/+$/, '')
  if (!key) {
    throw new Error(
      'the data directory is in use by a running collector; pass --key (or set AGENTMETER_API_KEY) with a project key that has the admin scope to go through its API',
    )
  }
  return { remote: collectorApi(baseUrl, key) }
}

/**
 * A running collector's JSON API with a bearer token (a project key, or the instance admin
 * token for `/api/v1/admin/*`); a refusal becomes the error, with the collector's reason.
 */
export function collectorApi(baseUrl: string, token: string): CollectorApi {
  return {
    baseUrl,
    async call<R>(method: string, path: string, body?: unknown): Promise<R> {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const parsed = (await response.json().catch(() => ({}))) as R & { error?: string }
      if (!response.ok)
        throw new Error(`collector refused ${method} ${path}: ${parsed.error ?? response.status}`)
      return parsed
    },
  }
}
