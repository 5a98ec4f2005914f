import type { ClickHouseClient } from '@clickhouse/client'
import { loadConfig, type CollectorConfig } from '../config'
import { openStoreClient, storeClientOptions } from '../store/client'
import { migrate } from '../store/migrations'
import { ProjectStore, type Project } from '../store/projects'
import { collectorHolding, isLockError } from './held-store'
import { collectorAddress } from './collector-address'
import { missingKeyMessage, projectKey } from './project-key'
import { requireStore } from './store-check'
import { UsageError } from './usage-error'

export interface Target {
  /** `--data DIR` (default AGENTMETER_DATA_DIR). */
  dataDir?: string
  /** `--project NAME`: the project, when the store is opened directly. */
  project?: string
  /** `--endpoint URL`: go through this collector's API without trying the store. */
  endpoint?: string
  /** `--key KEY` (default AGENTMETER_API_KEY): a project key for the collector's API. */
  key?: string
  /** The command as typed (`prices list`), for messages. */
  command?: string
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
        const project = await projectOfTarget(new ProjectStore(store.client), config, target)
        return { local: await local(store.client, project.id) }
      } finally {
        await store.client.close()
      }
    } catch (err) {
      if (!isLockError(err)) throw err
    }
  }
  // The collector that holds the data directory, else the one named or configured.
  const address = collectorAddress(config, dataDir, {
    url: target.endpoint,
    from: 'given by --endpoint',
  })
  const key = projectKey(config, dataDir, target)
  if (!key) {
    const command = target.command ?? 'this command'
    const what = target.endpoint
      ? `with --endpoint, ${command} must`
      : `the store under ${dataDir} is held by a running collector, so ${command} must`
    throw new Error(missingKeyMessage(what, address.url, dataDir, target.project))
  }
  return { remote: collectorApi(address.url, key, address.from) }
}

/**
 * A running collector's JSON API with a bearer token (a project key, or the instance admin
 * token for `/api/v1/admin/*`); a refusal becomes the error, with the collector's reason.
 */
export function collectorApi(baseUrl: string, token: string, from?: string): CollectorApi {
  return {
    baseUrl,
    async call<R>(method: string, path: string, body?: unknown): Promise<R> {
      let response: Response
      try {
        response = await fetch(`${baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
      } catch {
        const whence = from ? ` (${from})` : ''
        throw new Error(
          `no collector answered at ${baseUrl}${whence}: start one with "pnpm agentmeter start", or pass --endpoint URL`,
        )
      }
      const parsed = (await response.json().catch(() => ({}))) as R & { error?: string }
      if (!response.ok) {
        const message = `collector refused ${method} ${path}: ${parsed.error ?? response.status}`
        // A 400 names what was wrong with the command's input: a usage error, as it is when
        // the same check runs on the store directly.
        throw response.status === 400 ? new UsageError(message) : new Error(message)
      }
      return parsed
    },
  }
}

/**
 * The project a command works on when it opens the store itself: `--project`, else the project
 * of the key it was given (`--key` or `AGENTMETER_API_KEY`), as the collector would resolve it.
 */
async function projectOfTarget(
  projects: ProjectStore,
  config: CollectorConfig,
  target: Target,
): Promise<Project> {
  if (target.project) {
    const project = await projects.findProjectByName(target.project)
    if (!project) throw new Error(`no project named ${JSON.stringify(target.project)} in the store`)
    return project
  }
  const key = target.key ?? process.env.AGENTMETER_API_KEY ?? config.initApiKey
  if (!key) {
    throw new UsageError(
      'name the project: --project NAME, or --key KEY (or AGENTMETER_API_KEY) for the project of that key',
    )
  }
  const identity = await projects.authenticate(key)
  if (!identity) throw new Error('the key given is not a key of this store (unknown or revoked)')
  return identity.project
}
