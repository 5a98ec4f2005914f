import type { ClickHouseClient } from '@clickhouse/client'
import type { Logger } from '../../logger'
import { clickHouseErrorFields } from '../clickhouse-error'
import { refreshStaleHours, type RefreshOptions, type RefreshResult } from './refresh'

export interface RefresherSettings extends RefreshOptions {
  /** Pause between rounds; 0 turns the background refresh off (queries stay exact, slower). */
  intervalMillis: number
}

/**
 * Keeps the rollups current in the background: a round refreshes the stale hours that have
 * settled, and the next round comes sooner while a backlog remains. Rounds never overlap, and a
 * failed round is logged and retried at the next one (readers fall back to the spans meanwhile).
 */
export class RollupRefresher {
  private timer: NodeJS.Timeout | null = null
  private running: Promise<RefreshResult> | null = null
  private stopped = true

  constructor(
    private readonly client: ClickHouseClient,
    private readonly logger: Logger,
    private readonly settings: RefresherSettings,
  ) {}

  start(): void {
    if (this.settings.intervalMillis <= 0) return
    this.stopped = false
    this.schedule(this.settings.intervalMillis)
  }

  /** Runs one round now (after the one in progress, if any), whatever the schedule. */
  async refreshNow(options: Partial<RefreshOptions> = {}): Promise<RefreshResult> {
    while (this.running) await this.running.catch(() => undefined)
    this.running = refreshStaleHours(this.client, { ...this.settings, ...options })
    try {
      return await this.running
    } finally {
      this.running = null
    }
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    while (this.running) await this.running.catch(() => undefined)
  }

  private schedule(delay: number): void {
    if (this.stopped) return
    this.timer = setTimeout(() => void this.round(), delay)
    this.timer.unref()
  }

  private async round(): Promise<void> {
    let next = this.settings.intervalMillis
    try {
      const result = await this.refreshNow()
      if (result.remaining > 0) next = Math.min(next, 100)
      if (result.hours > 0) {
        this.logger.debug({ module: 'rollups', message: 'hours refreshed', args: { ...result } })
      }
    } catch (err) {
      this.logger.error({
        module: 'rollups',
        message: 'rollup refresh failed',
        args: clickHouseErrorFields(err),
      })
    }
    this.schedule(next)
  }
}
