/**
 * Cluster DDL from the single-node migrations. With `AGENTMETER_CLICKHOUSE_CLUSTER` set, every
 * `CREATE TABLE` of a migration is rewritten, not written twice: the one definition stays the
 * single-node statement, and this module derives the cluster form from it.
 *
 * - Every statement runs `ON CLUSTER`.
 * - `spans` is sharded: a Replicated engine per shard (`spans_local`) and a `Distributed` table
 *   named `spans` over it, sharded by project and trace so that a trace's spans share a shard
 *   (task and trace queries then read one shard's worth of rows per task).
 * - Every other table is small (projects, keys, rules, migrations) and is replicated to every
 *   node under one ZooKeeper path, so each node reads it locally.
 * - Replicated engines deduplicate retried inserts across replicas by block hash, and keep the
 *   deduplication tokens the span writer sends.
 */
export interface ClusterOptions {
  cluster: string
}

/** Tables split into shards; the value is the sharding expression. */
const SHARDED: Record<string, string> = {
  spans: 'cityHash64(project_id, trace_id)',
}

const CREATE_TABLE = /^\s*CREATE TABLE IF NOT EXISTS (\w+)\s*\(/i
const ADD_COLUMN = /^\s*ALTER TABLE (\w+)\s+ADD COLUMN/i
const ADD_COLUMN_TABLE = /^(\s*ALTER TABLE )\w+/i
const ENGINE = /ENGINE\s*=\s*(\w*MergeTree)(?:\(([^)]*)\))?/i

/** The statements to run on a cluster for one single-node statement. */
export function toClusterStatements(statement: string, options: ClusterOptions): string[] {
  const table = CREATE_TABLE.exec(statement)?.[1]
  const altered = ADD_COLUMN.exec(statement)?.[1]
  if (altered && SHARDED[altered]) return addShardedColumn(statement, altered, options.cluster)
  if (!table) return [addOnCluster(statement, options.cluster)]
  const sharding = SHARDED[table]
  const local = sharding ? `${table}_local` : table
  const zkPath = sharding
    ? `/clickhouse/tables/{shard}/{database}/${local}`
    : `/clickhouse/tables/all/{database}/${local}`

  const replicated = statement
    .replace(CREATE_TABLE, `CREATE TABLE IF NOT EXISTS ${local} ON CLUSTER '${options.cluster}' (`)
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
    `CREATE TABLE IF NOT EXISTS ${table} ON CLUSTER '${options.cluster}' AS ${local}
    ENGINE = Distributed('${options.cluster}', currentDatabase(), ${local}, ${sharding})`,
  ]
}

/**
 * A column added to a sharded table goes on the shard-local tables, where rows are stored (and
 * where a MATERIALIZED expression is computed), and on the Distributed table, so that queries
 * through it can name the column; the same definition on both keeps it out of INSERT column lists.
 */
function addShardedColumn(statement: string, table: string, cluster: string): string[] {
  const local = statement.replace(ADD_COLUMN_TABLE, `$1${table}_local`)
  return [addOnCluster(local, cluster), addOnCluster(statement, cluster)]
}

function addOnCluster(statement: string, cluster: string): string {
  return statement.replace(
    /^(\s*(?:ALTER|DROP|CREATE)\s+(?:TABLE|VIEW|MATERIALIZED VIEW|DICTIONARY)\s+(?:IF (?:NOT )?EXISTS\s+)?\w+)/i,
    `$1 ON CLUSTER '${cluster}'`,
  )
}
