import { loadConfig, type CollectorConfig } from '../config'
import { openStoreClient, storeClientOptions, type StoreClient } from '../store/client'
import { clusterSchema, migrate, SCHEMA_VERSION } from '../store/migrations'
import { runDoctorChecks, type DoctorCheck } from '../store/doctor-checks'
import { collectorHolding } from './held-store'
import { collectorApi } from './store-or-collector'

async function withStore<T>(config: CollectorConfig, work: (store: StoreClient) => Promise<T>) {
  const store = await openStoreClient(storeClientOptions(config))
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

/**
 * `agentmeter doctor`: checks the store a collector would use (version, settings, disk, clock
 * skew, schema version) and prints one line per check; exits non-zero when one fails.
 */
export async function doctorCommand(options: { json: boolean; dataDir?: string }): Promise<number> {
  const config = loadConfig()
  if (options.dataDir) config.dataDir = options.dataDir
  // The embedded engine belongs to one process: while a collector holds it, that collector
  // runs the same checks on its own store.
  const holding = collectorHolding(config, config.dataDir)
  const checks = holding
    ? await checksThroughCollector(holding.url, config.adminToken ?? holding.adminToken)
    : await withStore(config, (store) =>
        runDoctorChecks(store, { cluster: config.clickhouseCluster }),
      )
  if (options.json) console.log(JSON.stringify({ checks }))
  else {
    if (holding) console.log(`checked by the collector running at ${holding.url}`)
    for (const check of checks)
      console.log(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}: ${check.detail}`)
  }
  return checks.every((check) => check.ok) ? 0 : 1
}

async function checksThroughCollector(url: string, adminToken: string): Promise<DoctorCheck[]> {
  const api = collectorApi(url, adminToken)
  const body = await api.call<{ checks?: DoctorCheck[] }>('GET', '/api/v1/admin/doctor')
  if (!body.checks) throw new Error(`the collector at ${url} sent no checks`)
  return body.checks
}
