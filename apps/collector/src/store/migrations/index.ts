import type { ClickHouseClient } from '@clickhouse/client'
import { spansTable } from './0001-spans'
import { projectsAndKeys } from './0002-projects-and-keys'
import { priceBook } from './0020-price-book'
import type { Migration } from './migration'

export type { Migration } from './migration'

export const MIGRATIONS: readonly Migration[] = [spansTable, projectsAndKeys, priceBook]

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in order. Safe to run at every
 * start and from several processes against a server: each statement is idempotent.
 */
export async function migrate(client: ClickHouseClient): Promise<number[]> {
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS schema_migrations (
      version UInt32,
      name String,
      applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
    ) ENGINE = ReplacingMergeTree ORDER BY version`,
  })
  const result = await client.query({
    query: 'SELECT version FROM schema_migrations FINAL',
    format: 'JSONEachRow',
  })
  const applied = new Set((await result.json<{ version: number }>()).map((row) => row.version))
  const ran: number[] = []
  for (const migration of MIGRATIONS) {
    if (applied.has(migration.version)) continue
    for (const statement of migration.statements) await client.command({ query: statement })
    await client.insert({
      table: 'schema_migrations',
      values: [{ version: migration.version, name: migration.name }],
      format: 'JSONEachRow',
    })
    ran.push(migration.version)
  }
  return ran
}

/** The highest migration version this build knows. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((migration) => migration.version))
