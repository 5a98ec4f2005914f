import type { CollectorConfig } from '../config'
import { liveLocalCollector, type LocalCollector } from './local-collector'

/**
 * The running collector that holds this embedded data directory, if there is one: the address
 * `start` left in it, while its process lives. Commands ask first, rather than opening the
 * engine and failing on its lock, because chDB prints its lock exception to stderr before the
 * command could fall back, and a command that then works would look broken. A ClickHouse server
 * is never held by one process: there is nothing to find.
 */
export function collectorHolding(config: CollectorConfig, dataDir: string): LocalCollector | null {
  return config.clickhouseUrl ? null : liveLocalCollector(dataDir)
}

/**
 * True when the store could not be opened because another process holds it (one that left no
 * address, or started between the look and the open). chDB prints the lock error (`Cannot lock
 * file .../status`) to stderr and throws only "Failed to create connection", so that message
 * counts as the lock too.
 */
export function isLockError(err: unknown): boolean {
  return (
    err instanceof Error &&
    /Cannot lock file|already running|Failed to create connection/i.test(err.message)
  )
}
