import fs from 'node:fs'
import path from 'node:path'
import type { CollectorConfig } from '../config'

/** The project `start --demo` provisions, and the file in the data directory with its key. */
export const DEMO_PROJECT = 'demo'
const DEMO_KEY_FILE = 'demo-key'

export function demoKeyFile(dataDir: string): string {
  return path.join(dataDir, DEMO_KEY_FILE)
}

/** The demo project's key that `start --demo` keeps in the data directory, if it made one. */
export function readDemoKey(dataDir: string): string | undefined {
  try {
    return fs.readFileSync(demoKeyFile(dataDir), 'utf8').trim() || undefined
  } catch {
    return undefined
  }
}

/**
 * The project key a command sends to a collector's project API: `--key`, else
 * `AGENTMETER_API_KEY`, else a key this machine provisioned for the project named (or for any
 * project when none is named): `AGENTMETER_INIT_API_KEY` for `AGENTMETER_INIT_PROJECT`, and
 * the demo key that `start --demo` left in the data directory for `--project demo`.
 */
export function projectKey(
  config: CollectorConfig,
  dataDir: string,
  given: { key?: string; project?: string },
): string | undefined {
  if (given.key) return given.key
  if (process.env.AGENTMETER_API_KEY) return process.env.AGENTMETER_API_KEY
  const project = given.project
  if (config.initApiKey && (project === undefined || project === config.initProject))
    return config.initApiKey
  return project === DEMO_PROJECT ? readDemoKey(dataDir) : undefined
}

/** What to do when no key was found: the error text, naming the collector and the project. */
export function missingKeyMessage(
  what: string,
  collectorUrl: string,
  dataDir: string,
  project: string | undefined,
): string {
  const demo =
    project === undefined && readDemoKey(dataDir) !== undefined
      ? `; for the demo project of "start --demo", pass --project ${DEMO_PROJECT}`
      : ''
  return `${what} go through the collector's API at ${collectorUrl}, which needs a project key: pass --key KEY or set AGENTMETER_API_KEY (the admin scope to change anything); make one with "pnpm -s agentmeter keys create --project ${project ?? 'NAME'} --scopes read,admin --data ${path.resolve(dataDir)}"${demo}`
}
