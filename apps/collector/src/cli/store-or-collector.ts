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
        const project = await projectOfTarget(
          new ProjectStore(store.client),
          config,
          dataDir,
          target,
        )
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

/** A collector's answer to one JSON request: its status, and its body (`error` on a refusal). */
export interface CollectorAnswer {
  ok: boolean
  status: number
  body: { error?: string }
}

/**
 * One JSON request to a collector with a bearer token, or null when nothing answered at the
 * address. A body that is not JSON reads as `{}`.
 */
export async function requestCollector(
  url: string,
  method: string,
  token: string,
  body?: unknown,
): Promise<CollectorAnswer | null> {
  let response: Response
  try {
    response = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    return null
  }
  const parsed = (await response.json().catch(() => ({}))) as { error?: string }
  return { ok: response.ok, status: response.status, body: parsed }
}

/**
 * A running collector's JSON API with a bearer token (a project key, or the instance admin
 * token for `/api/v1/admin/*`); a refusal becomes the error, with the collector's reason.
 */
export function collectorApi(baseUrl: string, token: string, from?: string): CollectorApi {
  return {
    baseUrl,
    async call<R>(method: string, path: string, body?: unknown): Promise<R> {
      const answer = await requestCollector(`${baseUrl}${path}`, method, token, body)
      if (!answer) {
        const whence = from ? ` (${from})` : ''
        throw new Error(
          `no collector answered at ${baseUrl}${whence}: start one with "pnpm agentmeter start", or pass --endpoint URL`,
        )
      }
      if (!answer.ok) {
        const message = `collector refused ${method} ${path}: ${answer.body.error ?? answer.status}`
        // A 400 names what was wrong with the command's input: a usage error, as it is when
        // the same check runs on the store directly.
        throw answer.status === 400 ? new UsageError(message) : new Error(message)
      }
      return answer.body as R
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
  dataDir: string,
  target: Target,
): Promise<Project> {
  if (target.project) {
    const project = await projects.findProjectByName(target.project)
    if (!project) throw new Error(`no project named ${JSON.stringify(target.project)} in the store`)
    return project
  }
  const key = projectKey(config, dataDir, { key: target.key })
  if (!key) {
    throw new UsageError(
      'name the project: --project NAME, or --key KEY (or AGENTMETER_API_KEY) for the project of that key',
    )
  }
  const identity = await projects.authenticate(key)
  if (!identity) throw new Error('the key given is not a key of this store (unknown or revoked)')
  return identity.project
}
