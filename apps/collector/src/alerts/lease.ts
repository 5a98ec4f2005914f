import type { Logger } from '../logger'
import type { ClaimLedger } from './claim-ledger'

export interface AlertLeaseOptions {
  /** How long a term lasts; the holder renews it at a third of that. */
  ttlMillis: number
  /** Told when this process gains (true) or loses (false) the lease. */
  onChange: (leader: boolean) => void
}

const KEY_PREFIX = 'lease:alerts:'

/**
 * The alert lease: at most one collector of a store evaluates windowed rules and resumes
 * orphaned deliveries. Terms are numbered claims (`lease:alerts:<n>`); the holder of term n
 * claims n + 1 while n is still running, and any other collector claims n + 1 only once n has
 * expired, so a live holder keeps the lease and a dead one loses it within one term. This
 * process acts as leader only until its own term ends by its own clock, counted from before
 * the claim was sent, so a holder that cannot reach the store stops before anyone else starts.
 */
export class AlertLease {
  private leaderUntil = 0
  private leader = false
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null

  constructor(
    private readonly ledger: ClaimLedger,
    private readonly logger: Logger,
    private readonly options: AlertLeaseOptions,
  ) {}

  isLeader(): boolean {
    return Date.now() < this.leaderUntil
  }

  async start(): Promise<void> {
    await this.renew()
    this.timer = setInterval(
      () => {
        this.running ??= this.renew().finally(() => (this.running = null))
      },
      Math.max(1, Math.floor(this.options.ttlMillis / 3)),
    )
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.running
    this.leaderUntil = 0
    this.update()
  }

  /** One round: renew the term we hold, take an expired one, or follow. */
  async renew(): Promise<void> {
    const startedAt = Date.now()
    try {
      const current = await this.ledger.latest(KEY_PREFIX)
      const held = current?.holder === this.ledger.holder
      if (current && !held && current.expiresAt > startedAt) {
        this.leaderUntil = 0
      } else {
        const term = (current?.term ?? 0) + 1
        const expiresAt = startedAt + this.options.ttlMillis
        const won = await this.ledger.claim(`${KEY_PREFIX}${term}`, { term, expiresAt })
        this.leaderUntil = won ? expiresAt : 0
        this.logger.debug({ module: 'alerts', message: 'alert lease claim', args: { term, won } })
      }
    } catch (err) {
      // Without the store we cannot prove the lease; the term we hold runs out on its own.
      this.logger.warn({ module: 'alerts', message: 'alert lease renewal failed', err })
    }
    this.update()
  }

  private update(): void {
    const leader = this.isLeader()
    if (leader === this.leader) return
    this.leader = leader
    this.logger.info({
      module: 'alerts',
      message: leader ? 'alert lease acquired' : 'alert lease lost',
      args: { holder: this.ledger.holder },
    })
    this.options.onChange(leader)
  }
}
