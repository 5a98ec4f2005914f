import type { StoreClient } from './client'
import { schemaState, SCHEMA_VERSION } from './migrations'

export interface DoctorCheck {
  name: string
  ok: boolean
  detail: string
}

/** Clocks further apart than this make alert windows and lease terms disagree. */
const MAX_SKEW_MILLIS = 5_000
const MIN_FREE_BYTES = 1024 ** 3

/**
 * The checks of `agentmeter doctor`, in the order printed: the engine's version, the schema
 * version, clock skew, free disk, the settings the collector depends on, and in cluster mode
 * the cluster and the macros its Replicated tables need. Each check names what it found and
 * what was expected.
 */
export async function runDoctorChecks(
  store: StoreClient,
  options: { cluster?: string } = {},
): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = []
  const one = async <T>(query: string, params: Record<string, unknown> = {}) => {
    const result = await store.client.query({ query, query_params: params, format: 'JSONEachRow' })
    return (await result.json<T>())[0]
  }

  const version = await one<{ version: string }>('SELECT version() AS version')
  const major = Number(version?.version.split('.')[0] ?? 0)
  // DateTime64(9), Map and Decimal(38, 12) columns and the JSON functions need 23.x or later.
  checks.push({
    name: 'clickhouse version',
    ok: major >= 23,
    detail: `${version?.version ?? 'unknown'} (${store.mode}; 23.x or later needed)`,
  })

  const { applied, pending } = await schemaState(store.client)
  checks.push({
    name: 'schema version',
    ok: pending.length === 0,
    detail: schemaDetail(applied, pending),
  })

  const clock = await one<{ now: string }>('SELECT toUnixTimestamp64Milli(now64(3)) AS now')
  const skewMillis = Math.abs(Number(clock?.now ?? 0) - Date.now())
  checks.push({
    name: 'clock skew',
    ok: skewMillis < MAX_SKEW_MILLIS,
    detail: `${skewMillis} ms between this host and ClickHouse (under ${MAX_SKEW_MILLIS} ms expected)`,
  })

  const disk = await one<{ free: string; total: string }>(
    'SELECT toString(min(free_space)) AS free, toString(min(total_space)) AS total FROM system.disks',
  )
  const freeBytes = Number(disk?.free ?? 0)
  checks.push({
    name: 'disk',
    ok: freeBytes > MIN_FREE_BYTES,
    detail: `${(freeBytes / 1024 ** 3).toFixed(1)} GiB free (over 1 GiB expected)`,
  })

  // The collector writes: a read-only user fails every insert. Memory and insert settings are
  // shown for the operator's review.
  const settings = await one<{ readonly: string; memory: string; async: string }>(
    `SELECT toString(getSetting('readonly')) AS readonly,
       toString(getSetting('max_memory_usage')) AS memory,
       toString(getSetting('async_insert')) AS async`,
  )
  checks.push({
    name: 'settings',
    ok: settings?.readonly === '0',
    detail: `readonly=${settings?.readonly ?? 'unknown'} (0 expected: the collector writes), max_memory_usage=${settings?.memory ?? 'unknown'} (0 means unlimited), async_insert=${settings?.async ?? 'unknown'}`,
  })

  if (options.cluster) checks.push(await clusterCheck(one, options.cluster))
  return checks
}

async function clusterCheck(
  one: <T>(query: string, params?: Record<string, unknown>) => Promise<T | undefined>,
  cluster: string,
): Promise<DoctorCheck> {
  const nodes = await one<{ shards: string; replicas: string }>(
    `SELECT toString(uniqExact(shard_num)) AS shards, toString(count()) AS replicas
     FROM system.clusters WHERE cluster = {cluster:String}`,
    { cluster },
  )
  const macros = await one<{ names: string[] }>(
    'SELECT groupArray(macro) AS names FROM system.macros',
  )
  const missing = ['shard', 'replica'].filter((name) => !macros?.names.includes(name))
  if (Number(nodes?.replicas ?? 0) === 0) {
    return {
      name: 'cluster',
      ok: false,
      detail: `cluster "${cluster}" (AGENTMETER_CLICKHOUSE_CLUSTER) is not in system.clusters: define it in remote_servers`,
    }
  }
  return {
    name: 'cluster',
    ok: missing.length === 0,
    detail:
      missing.length === 0
        ? `"${cluster}": ${nodes?.shards} shard(s), ${nodes?.replicas} node(s), macros shard and replica set`
        : `"${cluster}" found, but the macros ${missing.join(' and ')} are not set (Replicated tables need {shard} and {replica})`,
  }
}

function schemaDetail(applied: number, pending: number[]): string {
  if (pending.length === 0) return `${applied}`
  const fix = 'run "pnpm agentmeter migrate"'
  if (applied < SCHEMA_VERSION) return `${applied}, this build expects ${SCHEMA_VERSION}: ${fix}`
  return `${applied}, but migration ${pending.join(', ')} of this build is not applied: ${fix}`
}
