import type { ClickHouseClient } from '@clickhouse/client'
import { spansTable } from './0001-spans'
import { projectsAndKeys } from './0002-projects-and-keys'
import { alertsTables } from './0040-alerts'
import { priceBook } from './0020-price-book'
import { rollupTables } from './0030-rollups'
import { taskTotalsTables } from './0031-task-totals'
import { routingColumns } from './0050-routing-columns'
import { stepRollups } from './0051-step-rollups'
import { projectSettings } from './0060-project-settings'
import { alertClaims } from './0080-alert-claims'
import { dimensionMappings } from './0090-dimension-mappings'
import { hotspotParts } from './0061-hotspot-parts'
import { modelUnpricedCalls } from './0062-model-unpriced-calls'
import { totalsUnpricedAndProviders } from './0063-totals-unpriced-and-providers'
import { noCallTaskTotals } from './0091-no-call-task-totals'
import { hotspotRules } from './0092-hotspot-rules'
import { shardedTables, toClusterStatements } from './cluster-ddl'
import type { Migration } from './migration'

export type { Migration } from './migration'

export const MIGRATIONS: readonly Migration[] = [
  spansTable,
  projectsAndKeys,
  priceBook,
  rollupTables,
  taskTotalsTables,
  alertsTables,
  routingColumns,
  stepRollups,
  projectSettings,
  hotspotParts,
  modelUnpricedCalls,
  totalsUnpricedAndProviders,
  alertClaims,
  dimensionMappings,
  noCallTaskTotals,
  hotspotRules,
]

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in order. Safe to run at every
 * start and from several processes against a server: each statement is idempotent.
 */
export async function migrate(
  client: ClickHouseClient,
  options: { cluster?: string } = {},
): Promise<number[]> {
  const sharded = shardedTables(allStatements())
  const run = async (statement: string) => {
    const statements = options.cluster
      ? toClusterStatements(statement, { cluster: options.cluster, sharded })
      : [statement]
    for (const query of statements) await client.command({ query })
  }
  await run(SCHEMA_MIGRATIONS_TABLE)
  const result = await client.query({
    query: 'SELECT version FROM schema_migrations FINAL',
    format: 'JSONEachRow',
  })
  const applied = new Set((await result.json<{ version: number }>()).map((row) => row.version))
  const ran: number[] = []
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue
    for (const statement of migration.statements) await run(statement)
    await client.insert({
      table: 'schema_migrations',
      values: [{ version: migration.version, name: migration.name }],
      format: 'JSONEachRow',
    })
    ran.push(migration.version)
  }
  return ran
}

const SCHEMA_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
      version UInt32,
      name String,
      applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
    ) ENGINE = ReplacingMergeTree ORDER BY version`

/** Every statement of every migration as it runs on a cluster (for review and `migrate --print`). */
export function clusterSchema(cluster: string): string[] {
  const statements = allStatements()
  const sharded = shardedTables(statements)
  return statements.flatMap((statement) => toClusterStatements(statement, { cluster, sharded }))
}

function allStatements(): string[] {
  return [SCHEMA_MIGRATIONS_TABLE, ...MIGRATIONS.flatMap((migration) => migration.statements)]
}

/** The applied schema version of a store: the highest recorded migration, 0 when none. */
export async function appliedSchemaVersion(client: ClickHouseClient): Promise<number> {
  return (await schemaState(client)).applied
}

export interface SchemaState {
  /** The highest recorded migration, 0 when none (or no migrations table). */
  applied: number
  /** This build's migrations the store has not recorded, in order. */
  pending: number[]
}

/**
 * What a store lacks of this build's schema. Migrations are numbered in their series, not only
 * at the end (61 to 63 came after 91), so a store at the highest version can still miss one:
 * only the set of recorded versions tells.
 */
export async function schemaState(client: ClickHouseClient): Promise<SchemaState> {
  let recorded: Set<number>
  try {
    const result = await client.query({
      query: 'SELECT DISTINCT version FROM schema_migrations',
      format: 'JSONEachRow',
    })
    recorded = new Set((await result.json<{ version: number }>()).map((row) => Number(row.version)))
  } catch {
    recorded = new Set()
  }
  return {
    applied: Math.max(0, ...recorded),
    pending: MIGRATIONS.map((migration) => migration.version).filter((v) => !recorded.has(v)),
  }
}

/** The highest migration version this build knows. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((migration) => migration.version))
