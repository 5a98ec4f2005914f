import { randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { loadConfig } from '../config'
import { startCollector } from '../server'
import { generateKey } from '../store/projects'
import { exitOnSignals } from './graceful-stop'
import { removeLocalCollector, writeLocalCollector } from './local-collector'
import { DEMO_PROJECT, demoKeyFile, readDemoKey } from './project-key'
import { spawnDemo } from './run-demo-process'

export interface StartOptions {
  port?: number
  host?: string
  dataDir?: string
  demo: boolean
}

/** `agentmeter start`: the collector, and with `--demo` the demo agents feeding it. */
export async function startCommand(options: StartOptions): Promise<void> {
  const config = loadConfig()
  if (options.port !== undefined) config.port = options.port
  if (options.host) config.host = options.host
  if (options.dataDir) config.dataDir = path.resolve(options.dataDir)

  if (options.demo && !(config.initProject && config.initApiKey)) {
    config.initProject = DEMO_PROJECT
    config.initApiKey = demoKey(config.dataDir)
  }

  // With the embedded engine, this process holds the store: other CLI commands reach it
  // through the admin API, with a token only the data directory's owner can read.
  const embedded = !config.clickhouseUrl
  const adminTokenIsLocal = embedded && !config.adminToken
  if (adminTokenIsLocal) config.adminToken = randomBytes(32).toString('base64url')

  const collector = await startCollector(config, undefined, { adminTokenIsLocal })
  if (embedded && config.adminToken) {
    writeLocalCollector(config.dataDir, {
      url: collector.url,
      adminToken: config.adminToken,
      pid: process.pid,
    })
  }
  console.log(
    `agentmeter collector listening on ${collector.url} (OTLP/HTTP at ${collector.url}/v1/traces)`,
  )

  const demo =
    options.demo && config.initApiKey
      ? // A first batch fills the dashboard at once; later ones keep it moving at a gentle rate.
        spawnDemo([
          '--endpoint',
          collector.url,
          '--key',
          config.initApiKey,
          // Mixed-fleet history for the routing recommendations page (about 40 s of traffic).
          '--routing-tasks',
          '900',
          '--loop',
          '--interval-ms',
          '20000',
          // What earlier runs sent into this data directory's store: a second start sends the
          // history no more and its batches bring new tasks, not the first run's again.
          '--state',
          path.join(config.dataDir, 'demo-state.json'),
        ])
      : null
  if (config.initApiKey && options.demo) {
    // The key rides in the URL fragment, which browsers never send to a server; the dashboard
    // trades it for a session cookie and removes it from the address bar.
    console.log(`dashboard: ${collector.url}/#key=${config.initApiKey}`)
  } else {
    console.log(`dashboard: ${collector.url}/ (sign in with a project key)`)
  }

  exitOnSignals(async () => {
    if (demo && demo.exitCode === null) {
      // The demo flushes its last spans on SIGTERM: let them land before the collector closes.
      const exited = new Promise((resolve) => demo.once('exit', resolve))
      demo.kill('SIGTERM')
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))])
    }
    if (embedded) removeLocalCollector(config.dataDir)
    await collector.close()
  })
}

/**
 * The demo project's key, kept in the data directory (readable by the owner only) so that every
 * `start --demo` on the same data signs in with the same key instead of minting a new one.
 */
function demoKey(dataDir: string): string {
  const existing = readDemoKey(dataDir)
  if (existing) return existing
  fs.mkdirSync(dataDir, { recursive: true })
  const key = generateKey()
  fs.writeFileSync(demoKeyFile(dataDir), key + '\n', { mode: 0o600 })
  return key
}
