import type { ClickHouseClient } from '@clickhouse/client'
import { fromDateTime64Millis, toDateTime64Millis } from './version'

/** A claim as stored: who holds a key, and for leases the term and its expiry. */
export interface Claim {
  key: string
  holder: string
  term: number
  expiresAt: number
}

/**
 * First-writer-wins claims, shared by every collector on a store (see migration 0080). `claim`
 * answers whether this call won the key; a key already on record is never won again.
 */
export interface ClaimLedger {
  readonly holder: string
  claim(key: string, lease?: { term: number; expiresAt: number }): Promise<boolean>
  /** The claim of the highest term among keys starting with `prefix`, or null. */
  latest(prefix: string): Promise<Claim | null>
}

interface ClaimRow {
  key: string
  holder: string
  term: string | number
  expires: string
}

/** Claims in ClickHouse, decided by insert deduplication on the key. */
export class ClickHouseClaimLedger implements ClaimLedger {
  constructor(
    private readonly client: ClickHouseClient,
    readonly holder: string,
  ) {}

  async claim(key: string, lease = { term: 0, expiresAt: 0 }): Promise<boolean> {
    // A key already on record is never won again, not even by its holder: a claim stands for
    // one action (one notification, one term), which must not be repeated.
    if (await this.read(key)) return false
    await this.client.insert({
      table: 'alert_claims',
      values: [
        {
          key,
          holder: this.holder,
          term: lease.term,
          expires_at: toDateTime64Millis(new Date(lease.expiresAt)),
          claimed_at: toDateTime64Millis(new Date()),
        },
      ],
      format: 'JSONEachRow',
      // The token is the key: of several inserts of one key, ClickHouse stores the first only.
      clickhouse_settings: { insert_deduplication_token: `claim:${key}` },
    })
    const stored = await this.read(key)
    return stored?.holder === this.holder
  }

  async latest(prefix: string): Promise<Claim | null> {
    return this.one(
      `WHERE startsWith(key, {prefix:String}) ORDER BY term DESC, claimed_at ASC LIMIT 1`,
      { prefix },
    )
  }

  private read(key: string): Promise<Claim | null> {
    // The first stored row wins; a second one could only exist after the deduplication window.
    return this.one(`WHERE key = {key:String} ORDER BY claimed_at ASC LIMIT 1`, { key })
  }

  private async one(where: string, params: Record<string, unknown>): Promise<Claim | null> {
    const result = await this.client.query({
      query: `SELECT key, holder, term, toString(expires_at) AS expires FROM alert_claims ${where}`,
      query_params: params,
      format: 'JSONEachRow',
    })
    const [row] = await result.json<ClaimRow>()
    if (!row) return null
    return {
      key: row.key,
      holder: row.holder,
      term: Number(row.term),
      expiresAt: Date.parse(fromDateTime64Millis(row.expires)),
    }
  }
}
