import { createClient, type ClickHouseClient } from '@clickhouse/client'
import { createChdbConnection } from 'chdb/connection'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runDoctorChecks } from '../doctor-checks'
import { routingColumns } from './0050-routing-columns'
import { shardedTables, toClusterStatements } from './cluster-ddl'
import {
  appliedSchemaVersion,
  clusterSchema,
  migrate,
  MIGRATIONS,
  SCHEMA_VERSION,
  schemaState,
} from './index'

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

// A rollup the way a later migration would add one, and a column change of a sharded table.
const rollup = `CREATE TABLE IF NOT EXISTS cost_hourly (
  project_id LowCardinality(String), hour DateTime, cost_usd Decimal(38, 12)
) ENGINE = SummingMergeTree ORDER BY (project_id, hour)`
const view = `CREATE MATERIALIZED VIEW IF NOT EXISTS cost_hourly_mv TO cost_hourly AS
  SELECT project_id, toStartOfHour(start_time) AS hour, sum(ifNull(cost_usd, 0)) AS cost_usd
  FROM spans GROUP BY project_id, hour`
const alter = 'ALTER TABLE spans ADD COLUMN IF NOT EXISTS region LowCardinality(String)'

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

  // Every migration, including ones added later: nothing here names a table.
  it('should derive cluster DDL for every statement of every migration', () => {
    const sharded = shardedTables(MIGRATIONS.flatMap((migration) => migration.statements))
    for (const migration of MIGRATIONS) {
      for (const statement of migration.statements) {
        const cluster = toClusterStatements(statement, { cluster: 'prod', sharded })
        // A backfill runs once through the Distributed tables; everything else on every node.
        if (/^\s*INSERT INTO/.test(statement)) {
          expect(cluster).toEqual([statement])
          continue
        }
        for (const derived of cluster) expect(derived).toContain("ON CLUSTER 'prod'")
        const table = /^\s*CREATE TABLE IF NOT EXISTS (\w+)/.exec(statement)?.[1]
        if (!table) continue
        const [local, distributed] = cluster
        const columns = (ddl: string) => ddl.slice(ddl.indexOf('('), ddl.search(/\bENGINE\b/))
        // Same columns; a Replicated engine with the same arguments; no single-node settings.
        expect(columns(local!)).toBe(columns(statement))
        const engine = /ENGINE = (\w+)(?:\(([^)]*)\))?/.exec(statement)!
        expect(local).toContain(`ENGINE = Replicated${engine[1]}(`)
        expect(local).toContain(engine[2] ? `'{replica}', ${engine[2]})` : `'{replica}')`)
        expect(local).not.toContain('non_replicated_deduplication_window')
        if (sharded[table]) {
          expect(local).toMatch(new RegExp(`^\\s*CREATE TABLE IF NOT EXISTS ${table}_local `))
          expect(distributed).toContain(
            `ENGINE = Distributed('prod', currentDatabase(), ${table}_local, ${sharded[table]})`,
          )
        } else {
          expect(cluster).toHaveLength(1)
          expect(local).toContain(`'/clickhouse/tables/all/{database}/${table}'`)
        }
      }
    }
  })

  it('should keep rollups on the shards and alter both layers of a sharded table', () => {
    const sharded = shardedTables([rollup, view])
    expect(sharded).toEqual({ spans: 'cityHash64(project_id, trace_id)', cost_hourly: 'rand()' })
    const options = { cluster: 'prod', sharded }
    const [rollupLocal, rollupDistributed] = toClusterStatements(rollup, options)
    expect(rollupLocal).toContain(
      "CREATE TABLE IF NOT EXISTS cost_hourly_local ON CLUSTER 'prod' (",
    )
    expect(rollupLocal).toContain(
      "ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/cost_hourly_local', '{replica}')",
    )
    expect(rollupDistributed!.replace(/\s+/g, ' ')).toBe(
      "CREATE TABLE IF NOT EXISTS cost_hourly ON CLUSTER 'prod' AS cost_hourly_local ENGINE = Distributed('prod', currentDatabase(), cost_hourly_local, rand())",
    )
    expect(toClusterStatements(view, options)[0]!.replace(/\s+/g, ' ')).toBe(
      "CREATE MATERIALIZED VIEW IF NOT EXISTS cost_hourly_mv ON CLUSTER 'prod' TO cost_hourly_local AS SELECT project_id, toStartOfHour(start_time) AS hour, sum(ifNull(cost_usd, 0)) AS cost_usd FROM spans_local GROUP BY project_id, hour",
    )
    expect(toClusterStatements(alter, options)).toEqual([
      "ALTER TABLE spans_local ON CLUSTER 'prod' ADD COLUMN IF NOT EXISTS region LowCardinality(String)",
      "ALTER TABLE spans ON CLUSTER 'prod' ADD COLUMN IF NOT EXISTS region LowCardinality(String)",
    ])
    expect(
      toClusterStatements(
        'ALTER TABLE spans ADD INDEX idx_model response_model TYPE set(100)',
        options,
      ),
    ).toEqual([
      "ALTER TABLE spans_local ON CLUSTER 'prod' ADD INDEX idx_model response_model TYPE set(100)",
    ])
    expect(() =>
      toClusterStatements(
        'CREATE MATERIALIZED VIEW IF NOT EXISTS v ENGINE = MergeTree ORDER BY a AS SELECT 1 AS a',
        options,
      ),
    ).toThrow('materialized view v needs a TO table to run on a cluster')
  })

  it('should count deliveries on each shard, from the shard-local spans', () => {
    const rollups = MIGRATIONS.find((migration) => migration.name === 'rollups')!
    const sharded = shardedTables(MIGRATIONS.flatMap((migration) => migration.statements))
    const cluster = rollups.statements.flatMap((statement) =>
      toClusterStatements(statement, { cluster: 'prod', sharded }).map((s) =>
        s.replace(/\s+/g, ' '),
      ),
    )
    expect(cluster).toContainEqual(
      expect.stringMatching(
        /^CREATE MATERIALIZED VIEW IF NOT EXISTS span_deliveries_mv ON CLUSTER 'prod' TO span_deliveries_local AS SELECT .* FROM spans_local GROUP BY project_id, hour$/,
      ),
    )
    expect(cluster).toContainEqual(
      expect.stringContaining(
        "CREATE TABLE IF NOT EXISTS span_deliveries ON CLUSTER 'prod' AS span_deliveries_local ENGINE = Distributed('prod', currentDatabase(), span_deliveries_local, rand())",
      ),
    )
    expect(cluster).toContainEqual(
      expect.stringMatching(/^ALTER TABLE spans_local ON CLUSTER 'prod' ADD INDEX IF NOT EXISTS/),
    )
    // The per-task rollups are written by the refresher, not by a view: replicated everywhere.
    expect(cluster).toContainEqual(
      expect.stringContaining(
        "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/{database}/task_hours', '{replica}', refresh_id)",
      ),
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
    const sharded = shardedTables([rollup, view])
    const statements = [
      ...clusterSchema('prod'),
      ...[rollup, view, alter].flatMap((ddl) =>
        toClusterStatements(ddl, { cluster: 'prod', sharded }),
      ),
    ]
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
    expect(await schemaState(client)).toEqual({ applied: SCHEMA_VERSION, pending: [] })
  })

  it('should name a migration below the highest version that the store has not applied', async () => {
    // A store migrated by a build that did not have this migration yet.
    const below = Math.max(...MIGRATIONS.map((m) => m.version).filter((v) => v < SCHEMA_VERSION))
    await client.command({
      query: `ALTER TABLE schema_migrations DELETE WHERE version = ${below}`,
      clickhouse_settings: { mutations_sync: '2' },
    })
    expect(await schemaState(client)).toEqual({ applied: SCHEMA_VERSION, pending: [below] })
    const checks = await runDoctorChecks({ client, mode: 'embedded' })
    expect(checks.find((check) => check.name === 'schema version')).toEqual({
      name: 'schema version',
      ok: false,
      detail: `${SCHEMA_VERSION}, but migration ${below} of this build is not applied: run "pnpm agentmeter migrate"`,
    })
    expect(await migrate(client)).toEqual([below])
    expect(await schemaState(client)).toEqual({ applied: SCHEMA_VERSION, pending: [] })
  })
})
