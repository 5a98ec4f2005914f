import { loadConfig, type CollectorConfig } from '../config'
import { openStoreClient, type StoreClient } from '../store/client'
import { appliedSchemaVersion, clusterSchema, migrate, SCHEMA_VERSION } from '../store/migrations'

async function withStore<T>(config: CollectorConfig, work: (store: StoreClient) => Promise<T>) {
  const store = await openStoreClient({
    url: config.clickhouseUrl,
    username: config.clickhouseUser,
    password: config.clickhousePassword,
    cluster: config.clickhouseCluster,
    dataDir: config.dataDir,
  })
  try {
    return await work(store)
  } finally {
    await store.client.close()
  }
}

/** `agentmeter migrate [--print]`: apply pending migrations, or print the cluster DDL. */
export async function migrateCommand(options: { print: boolean; dataDir?: string }): Promise<void> {
  const config = loadConfig()
  if (options.dataDir) config.dataDir = options.dataDir
  if (options.print) {
    const cluster = config.clickhouseCluster ?? '{cluster}'
    for (const statement of clusterSchema(cluster)) console.log(`${statement.trim()};\n`)
    return
  }
  const applied = await withStore(config, (store) =>
    migrate(store.client, { cluster: config.clickhouseCluster }),
  )
  console.log(
    applied.length === 0
      ? `schema is up to date (version ${SCHEMA_VERSION})`
      : `applied migrations ${applied.join(', ')}; schema version ${SCHEMA_VERSION}`,
  )
}

interface Check {
  name: string
  ok: boolean
  detail: string
}

/**
 * `agentmeter doctor`: checks the store a collector would use (version, settings, disk, clock
 * skew, schema version) and prints one line per check; exits non-zero when one fails.
 */
export async function doctorCommand(options: { json: boolean; dataDir?: string }): Promise<number> {
  const config = loadConfig()
  if (options.dataDir) config.dataDir = options.dataDir
  const checks = await withStore(config, (store) => runChecks(store))
  if (options.json) console.log(JSON.stringify({ checks }))
  else
    for (const check of checks)
      console.log(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}: ${check.detail}`)
  return checks.every((check) => check.ok) ? 0 : 1
}

async function runChecks(store: StoreClient): Promise<Check[]> {
  const checks: Check[] = []
  const one = async <T>(query: string): Promise<T | undefined> => {
    const result = await store.client.query({ query, format: 'JSONEachRow' })
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

  const applied = await appliedSchemaVersion(store.client)
  checks.push({
    name: 'schema version',
    ok: applied === SCHEMA_VERSION,
    detail:
      applied === SCHEMA_VERSION
        ? `${applied}`
        : `${applied}, this build expects ${SCHEMA_VERSION}: run "pnpm agentmeter migrate"`,
  })

  const clock = await one<{ now: string }>('SELECT toUnixTimestamp64Milli(now64(3)) AS now')
  const skewMillis = Math.abs(Number(clock?.now ?? 0) - Date.now())
  checks.push({
    name: 'clock skew',
    ok: skewMillis < 5_000,
    detail: `${skewMillis} ms between this host and ClickHouse (under 5000 ms expected)`,
  })

  const disk = await one<{ free: string; total: string }>(
    'SELECT toString(min(free_space)) AS free, toString(min(total_space)) AS total FROM system.disks',
  )
  const freeBytes = Number(disk?.free ?? 0)
  checks.push({
    name: 'disk',
    ok: freeBytes > 1024 ** 3,
    detail: `${(freeBytes / 1024 ** 3).toFixed(1)} GiB free (over 1 GiB expected)`,
  })

  const setting = await one<{ value: string }>(
    "SELECT value FROM system.settings WHERE name = 'max_memory_usage'",
  )
  checks.push({
    name: 'settings',
    ok: true,
    detail: `max_memory_usage=${setting?.value ?? 'unknown'} (0 means unlimited)`,
  })
  return checks
}
