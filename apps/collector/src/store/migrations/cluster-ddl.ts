/**
 * Cluster DDL from the single-node migrations. With `AGENTMETER_CLICKHOUSE_CLUSTER` set, every
 * statement of a migration is rewritten, not written twice: the one definition stays the
 * single-node statement, and this module derives the cluster form from it.
 *
 * - Every statement runs `ON CLUSTER`.
 * - `spans` is sharded: a Replicated engine per shard (`spans_local`) and a `Distributed` table
 *   named `spans` over it, sharded by project and trace so that a trace's spans share a shard
 *   (task and trace queries then read one shard's worth of rows per task).
 * - Rollups are per shard: a materialized view reading a sharded table reads its local table on
 *   each shard and writes a local rollup table, itself sharded (a `Distributed` table of the
 *   rollup's name reads every shard's part; nothing inserts through it, hence `rand()`).
 * - An `ALTER` of a sharded table changes the local tables, and for column changes the
 *   `Distributed` table too, whose structure must match.
 * - Every other table is small (projects, keys, rules, migrations) and is replicated to every
 *   node under one ZooKeeper path, so each node reads it locally.
 * - Replicated engines deduplicate retried inserts across replicas through their replication
 *   log, by block hash or by the `insert_deduplication_token` the span writer sends.
 */
export interface ClusterOptions {
  cluster: string
  /** Sharded tables and their sharding expressions; default: `shardedTables([])`. */
  sharded?: Record<string, string>
}

/** Tables split into shards by design; the value is the sharding expression. */
const SHARDED: Record<string, string> = {
  spans: 'cityHash64(project_id, trace_id)',
}

const CREATE_TABLE = /^\s*CREATE TABLE IF NOT EXISTS (\w+)\s*\(/i
const ENGINE = /ENGINE\s*=\s*(\w*MergeTree)(?:\(([^)]*)\))?/i
const CREATE_VIEW = /^\s*CREATE MATERIALIZED VIEW IF NOT EXISTS (\w+)(?:\s+TO\s+(\w+))?([\s\S]*)$/i
const INSERT = /^\s*INSERT INTO\b/i
const ALTER_TABLE = /^\s*ALTER TABLE (\w+)\s+([\s\S]*)$/i
const COLUMN_ALTER = /^\s*(ADD|DROP|MODIFY|RENAME|COMMENT|CLEAR)\s+COLUMN\b/i

/**
 * Every sharded table of a schema: the designed ones, and the targets of materialized views
 * that read a sharded table (their rollups live on the shards with the rows they sum).
 */
export function shardedTables(statements: readonly string[]): Record<string, string> {
  const sharded = { ...SHARDED }
  let grew = true
  while (grew) {
    grew = false
    for (const statement of statements) {
      const view = CREATE_VIEW.exec(statement)
      const target = view?.[2]
      if (!view || !target || sharded[target]) continue
      if (Object.keys(sharded).some((table) => readsTable(view[3]!, table))) {
        sharded[target] = 'rand()'
        grew = true
      }
    }
  }
  return sharded
}

/** The statements to run on a cluster for one single-node statement. */
export function toClusterStatements(statement: string, options: ClusterOptions): string[] {
  const sharded = options.sharded ?? shardedTables([])
  const on = `ON CLUSTER '${options.cluster}'`
  const view = CREATE_VIEW.exec(statement)
  if (view) return [clusterView(view, on, sharded)]
  const alter = ALTER_TABLE.exec(statement)
  if (alter) return clusterAlter(alter[1]!, alter[2]!, on, sharded)
  // A backfill runs once, on the node that migrates: it reads and writes through the
  // Distributed tables, which route the rows to their shards (INSERT has no ON CLUSTER).
  if (INSERT.test(statement)) return [statement]
  const table = CREATE_TABLE.exec(statement)?.[1]
  if (!table) return [addOnCluster(statement, options.cluster)]

  const sharding = sharded[table]
  const local = sharding ? `${table}_local` : table
  const zkPath = sharding
    ? `/clickhouse/tables/{shard}/{database}/${local}`
    : `/clickhouse/tables/all/{database}/${local}`
  const replicated = statement
    .replace(CREATE_TABLE, `CREATE TABLE IF NOT EXISTS ${local} ${on} (`)
    .replace(ENGINE, (_match, engine: string, args: string | undefined) => {
      const params = [`'${zkPath}'`, `'{replica}'`, ...(args?.trim() ? [args.trim()] : [])]
      return `ENGINE = Replicated${engine}(${params.join(', ')})`
    })
    // The non-replicated deduplication window has no meaning on Replicated engines, which
    // deduplicate through their replication log.
    .replace(/\s*SETTINGS non_replicated_deduplication_window = \d+/i, '')
  if (!sharding) return [replicated]

  return [
    replicated,
    `CREATE TABLE IF NOT EXISTS ${table} ${on} AS ${local}
    ENGINE = Distributed('${options.cluster}', currentDatabase(), ${local}, ${sharding})`,
  ]
}

function clusterView(view: RegExpExecArray, on: string, sharded: Record<string, string>): string {
  const [, name, target, rest] = view
  if (!target) {
    throw new Error(
      `materialized view ${name} needs a TO table to run on a cluster (its rollup must be a table of its own, replicated or sharded)`,
    )
  }
  let body = rest!
  for (const table of Object.keys(sharded)) {
    body = body.replace(new RegExp(`\\b(FROM|JOIN)\\s+${table}\\b`, 'gi'), `$1 ${table}_local`)
  }
  const into = sharded[target] ? `${target}_local` : target
  return `CREATE MATERIALIZED VIEW IF NOT EXISTS ${name} ${on} TO ${into}${body}`
}

function clusterAlter(
  table: string,
  change: string,
  on: string,
  sharded: Record<string, string>,
): string[] {
  if (!sharded[table]) return [`ALTER TABLE ${table} ${on} ${change}`]
  const local = `ALTER TABLE ${table}_local ${on} ${change}`
  return COLUMN_ALTER.test(change) ? [local, `ALTER TABLE ${table} ${on} ${change}`] : [local]
}

function readsTable(body: string, table: string): boolean {
  return new RegExp(`\\b(FROM|JOIN)\\s+${table}\\b`, 'i').test(body)
}

function addOnCluster(statement: string, cluster: string): string {
  return statement.replace(
    /^(\s*(?:ALTER|DROP|CREATE|OPTIMIZE)\s+(?:TABLE|VIEW|MATERIALIZED VIEW|DICTIONARY)\s+(?:IF (?:NOT )?EXISTS\s+)?\w+)/i,
    `$1 ON CLUSTER '${cluster}'`,
  )
}
