import fs from 'node:fs'
import path from 'node:path'
import type { CollectorConfig } from '../config'
import { UsageError } from './usage-error'

/**
 * Commands other than `start` work on a store that exists: opening the embedded engine on a
 * mistyped `--data` would create a new, empty store there and carry on in it (a key no collector
 * will ever read). chDB keeps its catalog in `metadata/`, made by the first `start`. On a
 * ClickHouse server there is nothing to check here: the store is the server's.
 */
export function requireStore(config: CollectorConfig, dataDir: string): void {
  if (hasStore(config, dataDir)) return
  throw new UsageError(
    `no agentmeter store in ${where(dataDir)}: expected the embedded ClickHouse data that "pnpm agentmeter start" creates there (a metadata/ directory). Check --data (or AGENTMETER_DATA_DIR); to make a new store there, run "pnpm agentmeter start --data ${path.resolve(dataDir)}"`,
  )
}

/**
 * `keys create` and `migrate` may come before any `start` on a new machine (provisioning), so
 * they make a missing store; they say so on stderr, naming the directory, so that a mistyped
 * `--data` shows at once instead of as a key no collector knows.
 */
export function announceNewStore(config: CollectorConfig, dataDir: string): void {
  if (hasStore(config, dataDir)) return
  console.error(
    `agentmeter: no store in ${where(dataDir)}: creating a new one there (check --data or AGENTMETER_DATA_DIR if you meant an existing store)`,
  )
}

function hasStore(config: CollectorConfig, dataDir: string): boolean {
  return config.clickhouseUrl !== undefined || fs.existsSync(path.join(dataDir, 'metadata'))
}

/**
 * The spool commands' check: the spool `start` keeps under the data directory, in every mode.
 * A store that no collector has run on yet has none, and nothing in it: `false` then.
 */
export function requireSpool(config: CollectorConfig, dataDir: string): boolean {
  if (fs.existsSync(path.join(dataDir, 'spool'))) return true
  if (hasStore(config, dataDir)) return false
  throw new UsageError(
    `no agentmeter spool in ${where(dataDir)}: expected the spool/ directory that "pnpm agentmeter start" creates there. Check --data (or AGENTMETER_DATA_DIR)`,
  )
}

function where(dataDir: string): string {
  const full = JSON.stringify(path.resolve(dataDir))
  return fs.existsSync(dataDir) ? full : `${full} (the directory does not exist)`
}
