import type { Logger } from '../logger'
import { ALERT_CLAIMS } from '../metric-catalog'
import type { Metrics } from '../metrics'
import type { ClaimLedger } from './claim-ledger'
import { AlertLease } from './lease'

/**
 * How collectors that share a store share alerting (a ClickHouse server; never the embedded
 * engine, which one process holds, and whose sessions would keep a claim's deduplication token
 * for every later insert).
 */
export interface AlertCoordination {
  ledger: ClaimLedger
  /** Term of the alert lease. */
  leaseMillis: number
  /** Cadence of reloading rules and states written by the other collectors. */
  refreshMillis: number
}

/**
 * The part of the alert engine that exists only with other collectors around: the lease, the
 * reload cadence, and the notification claims. Without coordination it is inert: this process
 * leads and wins every claim.
 */
export class AlertSharing {
  private readonly lease: AlertLease | null
  private timer: NodeJS.Timeout | null = null
  private refreshing: Promise<void> | null = null

  constructor(
    private readonly coordination: AlertCoordination | null,
    private readonly logger: Logger,
    private readonly metrics: Metrics,
    private readonly hooks: { reload: () => Promise<void>; onLeader: () => void },
  ) {
    this.lease = coordination
      ? new AlertLease(coordination.ledger, logger, {
          ttlMillis: coordination.leaseMillis,
          onChange: (leader) => {
            if (leader) hooks.onLeader()
          },
        })
      : null
    metrics.gauge(
      'agentmeter_alert_leader',
      'Whether this collector evaluates windowed rules (holds the alert lease)',
      () => (this.isLeader() ? 1 : 0),
    )
  }

  get shared(): boolean {
    return this.coordination !== null
  }

  isLeader(): boolean {
    return this.lease ? this.lease.isLeader() : true
  }

  /** Starts the lease and the reload cadence (nothing when alone). */
  async start(): Promise<void> {
    if (!this.lease || !this.coordination) return
    await this.lease.start()
    this.timer = setInterval(() => {
      this.refreshing ??= this.hooks
        .reload()
        .catch((err: unknown) =>
          this.logger.warn({ module: 'alerts', message: 'reloading alert rules failed', err }),
        )
        .finally(() => (this.refreshing = null))
    }, this.coordination.refreshMillis)
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.refreshing
    await this.lease?.stop()
  }

  /** Whether this collector may send the notification `key` names (see claim-ledger.ts). */
  async claim(key: string): Promise<boolean> {
    if (!this.coordination) return true
    const won = await this.coordination.ledger.claim(key)
    this.metrics.inc(ALERT_CLAIMS, { result: won ? 'won' : 'lost' })
    return won
  }
}
