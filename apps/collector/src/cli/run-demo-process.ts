import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'

const REPO_ROOT = path.resolve(import.meta.dirname, '../../../..')
const DEMO_MAIN = path.join(REPO_ROOT, 'apps/demo/src/main.ts')

/**
 * Runs the demo app in its own process. The collector never imports the SDK: the demo is an
 * agent app like any user's and reaches the collector over OTLP/HTTP only.
 */
export function spawnDemo(args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const tsxCli = createRequire(import.meta.url).resolve('tsx/cli')
  return spawn(process.execPath, [tsxCli, DEMO_MAIN, ...args], { stdio: 'inherit', env })
}
