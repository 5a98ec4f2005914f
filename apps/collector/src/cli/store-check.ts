import fs from 'node:fs'
import path from 'node:path'
import type { CollectorConfig } from '../config'
import { UsageError } from './usage-error'

/**
 * Commands other than `start` work on a store that exists: opening the embedded engine on a
 * mistyped `--data` would create a new, empty store there and carry on in it (a key no collector
 * will ever read). chDB keeps its catalog in `metadata/`, made by the first `start`. A command
 * that may create a store says so with `createFlag`. On a ClickHouse server there is nothing to
 * check here: the store is the server's.
 */
export function requireStore(config: CollectorConfig, dataDir: string, createFlag?: string): void {
  if (config.clickhouseUrl) return
  if (fs.existsSync(path.join(dataDir, 'metadata'))) return
  const create = createFlag ? `, or pass ${createFlag} to create it with this command` : ''
  throw new UsageError(
    `no agentmeter store in ${where(dataDir)}: expected the embedded ClickHouse data that "pnpm agentmeter start" creates there (a metadata/ directory). Check --data (or AGENTMETER_DATA_DIR); to make a new store there, run "pnpm agentmeter start --data ${path.resolve(dataDir)}"${create}`,
  )
}

/** The spool commands' check: the spool `start` keeps under the data directory, in every mode. */
export function requireSpool(dataDir: string): void {
  if (fs.existsSync(path.join(dataDir, 'spool'))) return
  throw new UsageError(
    `no agentmeter spool in ${where(dataDir)}: expected the spool/ directory that "pnpm agentmeter start" creates there. Check --data (or AGENTMETER_DATA_DIR)`,
  )
}

function where(dataDir: string): string {
  const full = JSON.stringify(path.resolve(dataDir))
  return fs.existsSync(dataDir) ? full : `${full} (the directory does not exist)`
}
