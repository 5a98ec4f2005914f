import { loadConfig } from '../config'
import { openStoreClient, storeClientOptions } from '../store/client'
import { clusterSchema, migrate, SCHEMA_VERSION } from '../store/migrations'
import { runDoctorChecks, type DoctorCheck } from '../store/doctor-checks'
import { collectorHolding, isLockError } from './held-store'
import { announceNewStore } from './store-check'
import { viaStoreOrAdmin } from './store-or-admin'

/** `agentmeter migrate [--print]`: apply pending migrations, or print the cluster DDL. */
export async function migrateCommand(options: { print: boolean; dataDir?: string }): Promise<void> {
  const config = loadConfig()
  if (options.dataDir) config.dataDir = options.dataDir
  if (options.print) {
    const cluster = config.clickhouseCluster ?? '{cluster}'
    for (const statement of clusterSchema(cluster)) console.log(`${statement.trim()};\n`)
    return
  }
  const holder = collectorHolding(config, config.dataDir)
  if (holder) throw new Error(heldMessage(config.dataDir, `the collector at ${holder.url}`))
  announceNewStore(config, config.dataDir)
  const store = await openStoreClient(storeClientOptions(config)).catch((err: unknown) => {
    throw isLockError(err) ? new Error(heldMessage(config.dataDir, 'another process')) : err
  })
  let applied: number[]
  try {
    applied = await migrate(store.client, { cluster: config.clickhouseCluster })
  } finally {
    await store.client.close()
  }
  console.log(
    applied.length === 0
      ? `schema is up to date (version ${SCHEMA_VERSION})`
      : `applied migrations ${applied.join(', ')}; schema version ${SCHEMA_VERSION}`,
  )
}

/** Why `migrate` cannot open a store another process runs, and what to do instead. */
function heldMessage(dataDir: string, holder: string): string {
  return (
    `the store under ${dataDir} is held by ${holder}; a collector applies the pending ` +
    `migrations itself when it starts (its /readyz shows the schema version), so there is ` +
    `nothing to run beside it: stop it first to migrate by hand`
  )
}

/**
 * `agentmeter doctor`: checks the store a collector would use (version, settings, disk, clock
 * skew, schema version) and prints one line per check; exits non-zero when one fails. While a
 * collector holds the embedded store, that collector runs the same checks on it.
 */
export async function doctorCommand(options: { json: boolean; dataDir?: string }): Promise<number> {
  const config = loadConfig()
  const { value: checks, through } = await viaStoreOrAdmin(
    { dataDir: options.dataDir, migrate: false },
    (store) => runDoctorChecks(store, { cluster: config.clickhouseCluster }),
    async (api) => {
      const body = await api.call<{ checks?: DoctorCheck[] }>('GET', '/api/v1/admin/doctor')
      if (!body.checks) throw new Error(`the collector at ${api.baseUrl} sent no checks`)
      return body.checks
    },
  )
  if (options.json) console.log(JSON.stringify({ checks }))
  else {
    if (through) console.log(`checked by the collector running at ${through}`)
    for (const check of checks)
      console.log(`${check.ok ? 'ok  ' : 'FAIL'}  ${check.name}: ${check.detail}`)
  }
  return checks.every((check) => check.ok) ? 0 : 1
}
