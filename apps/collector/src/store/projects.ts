import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { ClickHouseClient } from '@clickhouse/client'
import { RefreshAheadCache } from './refresh-ahead-cache'

export type Scope = 'ingest' | 'read' | 'admin'

export const ALL_SCOPES: readonly Scope[] = ['ingest', 'read', 'admin']

export interface Project {
  id: string
  name: string
}

export interface KeyIdentity {
  project: Project
  scopes: Scope[]
  prefix: string
}

/**
 * A stored key as lists show it: never the key, never its hash. The prefix is how a key is
 * named (its first characters, kept in clear for that). The store records no last use.
 */
export interface KeyListing {
  prefix: string
  project: Project
  scopes: Scope[]
  /** ISO 8601. */
  createdAt: string
  revoked: boolean
}

/** How many characters of a key are kept in clear, to tell keys apart in lists. */
const PREFIX_LENGTH = 11

const KEY_CACHE_MILLIS = 10_000

/** A new project key: `am_` and 32 random bytes, base64url. */
export function generateKey(): string {
  return `am_${randomBytes(32).toString('base64url')}`
}

/** A UUID-shaped id derived from a project name (see `ensureProject`). */
export function projectIdOf(name: string): string {
  const hex = createHash('sha256').update(`agentmeter-project:${name}`).digest('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex')
}

export function keyPrefix(key: string): string {
  return key.slice(0, PREFIX_LENGTH)
}

/**
 * Projects and API keys. Lookups by key go through a small in-process cache, since every
 * ingest request authenticates; a revocation made through this instance clears it at once.
 */
export class ProjectStore {
  // Short-lived, so a key created or revoked by another collector is seen within seconds.
  private cache = new RefreshAheadCache<KeyIdentity | null>(KEY_CACHE_MILLIS)

  constructor(private readonly client: ClickHouseClient) {}

  async ensureProject(name: string): Promise<Project> {
    const existing = await this.findProjectByName(name)
    if (existing) return existing
    // The id follows from the name, so that collectors provisioning the same project at the same
    // moment (AGENTMETER_INIT_PROJECT behind a load balancer) write one project, not two.
    const project = { id: projectIdOf(name), name }
    await this.client.insert({ table: 'projects', values: [project], format: 'JSONEachRow' })
    return project
  }

  async findProjectByName(name: string): Promise<Project | null> {
    const result = await this.client.query({
      query:
        'SELECT id, name FROM projects FINAL WHERE name = {name:String} ORDER BY created_at LIMIT 1',
      query_params: { name },
      format: 'JSONEachRow',
    })
    const rows = await result.json<Project>()
    return rows[0] ?? null
  }

  /** Stores a key (given, or generated) for a project; returns it in clear, the only time. */
  async createKey(
    projectId: string,
    scopes: readonly Scope[],
    key = generateKey(),
  ): Promise<string> {
    await this.client.insert({
      table: 'api_keys',
      values: [{ key_hash: hashKey(key), prefix: keyPrefix(key), project_id: projectId, scopes }],
      format: 'JSONEachRow',
    })
    this.cache.delete(hashKey(key))
    return key
  }

  /** Every key of the instance, or of one project, oldest first (revoked ones too). */
  async listKeys(projectId?: string): Promise<KeyListing[]> {
    const result = await this.client.query({
      query: `SELECT k.prefix AS prefix, k.scopes AS scopes, k.revoked AS revoked,
          toString(k.created_at) AS created, p.id AS project_id, p.name AS project_name
        FROM (SELECT * FROM api_keys FINAL
          ${projectId ? 'WHERE project_id = {projectId:String}' : ''}) AS k
        INNER JOIN (SELECT id, name FROM projects FINAL) AS p ON p.id = k.project_id
        ORDER BY k.created_at, k.prefix`,
      query_params: { projectId },
      format: 'JSONEachRow',
    })
    const rows = await result.json<{
      prefix: string
      scopes: Scope[]
      revoked: boolean
      created: string
      project_id: string
      project_name: string
    }>()
    return rows.map((row) => ({
      prefix: row.prefix,
      project: { id: row.project_id, name: row.project_name },
      scopes: row.scopes,
      createdAt: `${row.created.replace(' ', 'T')}Z`,
      revoked: row.revoked,
    }))
  }

  /** Revokes every key with this prefix in the project; returns how many were revoked. */
  async revokeKey(prefix: string, projectId?: string): Promise<number> {
    const result = await this.client.query({
      // The revoked version keeps the key's creation time (a new row would take the default).
      query: `SELECT key_hash, prefix, project_id, scopes, toString(created_at) AS created_at
        FROM api_keys FINAL
        WHERE prefix = {prefix:String} AND NOT revoked
        ${projectId ? 'AND project_id = {projectId:String}' : ''}`,
      query_params: { prefix, projectId },
      format: 'JSONEachRow',
    })
    const keys = await result.json<{
      key_hash: string
      prefix: string
      project_id: string
      scopes: string[]
      created_at: string
    }>()
    if (keys.length === 0) return 0
    await this.client.insert({
      table: 'api_keys',
      values: keys.map((row) => ({ ...row, revoked: true })),
      format: 'JSONEachRow',
    })
    for (const row of keys) this.cache.delete(row.key_hash)
    return keys.length
  }

  /** How many keys, of every project, are not revoked. */
  async countActiveKeys(): Promise<number> {
    const result = await this.client.query({
      query: 'SELECT toUInt64(count()) AS keys FROM api_keys FINAL WHERE NOT revoked',
      format: 'JSONEachRow',
    })
    const [row] = await result.json<{ keys: string | number }>()
    return Number(row?.keys ?? 0)
  }

  /** The project and scopes of a key, or null when the key is unknown or revoked. */
  async authenticate(key: string): Promise<KeyIdentity | null> {
    return this.authenticateHash(hashKey(key))
  }

  /** `authenticate` by the key's hash: how a dashboard session re-checks the key it stands for. */
  async authenticateHash(keyHash: string): Promise<KeyIdentity | null> {
    // While the store is unavailable, keys seen before keep their last known answer, so that
    // ingest can go on into the spool; a revocation through this instance is still immediate.
    return this.cache.get(keyHash, () => this.lookUp(keyHash))
  }

  /**
   * Whether a key of this hash exists and is revoked: a refused sign-in can then say why. Read
   * on a refusal only, never cached (a refusal is rare, and its answer must be the store's).
   */
  async isRevokedHash(keyHash: string): Promise<boolean> {
    const result = await this.client.query({
      // Not aliased "revoked": WHERE would then read the alias (an aggregate), not the column.
      query: `SELECT toUInt8(count() > 0) AS found
        FROM api_keys FINAL WHERE key_hash = {keyHash:String} AND revoked`,
      query_params: { keyHash },
      format: 'JSONEachRow',
    })
    const [row] = await result.json<{ found: number | string }>()
    return Number(row?.found ?? 0) === 1
  }

  private async lookUp(keyHash: string): Promise<KeyIdentity | null> {
    const result = await this.client.query({
      query: `SELECT k.key_hash AS key_hash, k.prefix AS prefix, k.scopes AS scopes, k.revoked AS revoked,
          p.id AS project_id, p.name AS project_name
        FROM (SELECT * FROM api_keys FINAL WHERE key_hash = {keyHash:String}) AS k
        INNER JOIN (SELECT * FROM projects FINAL) AS p ON p.id = k.project_id
        LIMIT 1`,
      query_params: { keyHash },
      format: 'JSONEachRow',
    })
    const [row] = await result.json<{
      key_hash: string
      prefix: string
      scopes: Scope[]
      revoked: boolean
      project_id: string
      project_name: string
    }>()
    // The hash comparison is redundant with the WHERE clause; it is kept constant-time so that
    // no later refactor turns it into a timing oracle.
    const identity =
      row && !row.revoked && safeEqual(row.key_hash, keyHash)
        ? {
            project: { id: row.project_id, name: row.project_name },
            scopes: row.scopes,
            prefix: row.prefix,
          }
        : null
    return identity
  }
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}
