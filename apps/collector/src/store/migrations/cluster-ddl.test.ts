import { createClient, type ClickHouseClient } from '@clickhouse/client'
import { createChdbConnection } from 'chdb/connection'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { routingColumns } from './0050-routing-columns'
import { toClusterStatements } from './cluster-ddl'
import { clusterSchema, migrate, MIGRATIONS, SCHEMA_VERSION, appliedSchemaVersion } from './index'

let client: ClickHouseClient

beforeAll(() => {
  const connection = createChdbConnection({ path: ':memory:' }) as unknown as NonNullable<
    Parameters<typeof createClient>[0]
  >['connection']
  client = createClient({ connection })
})

afterAll(async () => {
  await client?.close()
})

describe('cluster DDL', () => {
  it('should shard spans over a Replicated local table behind a Distributed table', () => {
    const [local, distributed] = toClusterStatements(MIGRATIONS[0]!.statements[0]!, {
      cluster: 'prod',
    })
    expect(local).toMatch(/^CREATE TABLE IF NOT EXISTS spans_local ON CLUSTER 'prod' \(/)
    expect(local).toContain(
      "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/spans_local', '{replica}', ingested_at)",
    )
    expect(local).toContain('ORDER BY (project_id, toStartOfHour(start_time), trace_id, span_id)')
    expect(local).not.toContain('non_replicated_deduplication_window')
    expect(distributed!.replace(/\s+/g, ' ')).toBe(
      "CREATE TABLE IF NOT EXISTS spans ON CLUSTER 'prod' AS spans_local ENGINE = Distributed('prod', currentDatabase(), spans_local, cityHash64(project_id, trace_id))",
    )
  })

  it('should replicate small tables to every node under one path', () => {
    const statements = toClusterStatements(MIGRATIONS[1]!.statements[0]!, { cluster: 'prod' })
    expect(statements).toHaveLength(1)
    expect(statements[0]).toMatch(/^CREATE TABLE IF NOT EXISTS projects ON CLUSTER 'prod' \(/)
    expect(statements[0]).toContain(
      "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/projects', '{replica}', updated_at)",
    )
  })

  it('should add a column to the shard-local spans and to the Distributed table over them', () => {
    const statement = routingColumns.statements[0]!
    const [local, distributed] = toClusterStatements(statement, { cluster: 'prod' })
    expect(local).toMatch(
      /^ALTER TABLE spans_local ON CLUSTER 'prod' ADD COLUMN IF NOT EXISTS shadow Bool\s+MATERIALIZED/,
    )
    expect(distributed).toMatch(
      /^ALTER TABLE spans ON CLUSTER 'prod' ADD COLUMN IF NOT EXISTS shadow/,
    )
  })

  it('does parse every cluster statement with the real ClickHouse parser', async () => {
    const statements = clusterSchema('prod')
    expect(statements.length).toBeGreaterThan(MIGRATIONS.length)
    for (const statement of statements) {
      const result = await client.query({
        query: `EXPLAIN AST ${statement}`,
        format: 'TabSeparated',
      })
      expect((await result.text()).length).toBeGreaterThan(0)
    }
  })
})

describe('single-node migrations', () => {
  it('should apply every migration once and report the schema version', async () => {
    expect(await appliedSchemaVersion(client)).toBe(0)
    expect(await migrate(client)).toEqual(MIGRATIONS.map((migration) => migration.version))
    expect(await migrate(client)).toEqual([])
    expect(await appliedSchemaVersion(client)).toBe(SCHEMA_VERSION)
  })
})
