import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const REPO_ROOT = path.resolve(import.meta.dirname, '../../../..')
const DEMO_MAIN = path.join(REPO_ROOT, 'apps/demo/src/main.ts')

/**
 * Runs the demo app in its own process. The collector never imports the SDK: the demo is an
 * agent app like any user's and reaches the collector over OTLP/HTTP only.
 *
 * The demo runs in a process group of its own, so a Ctrl-C in the terminal reaches the
 * command that started it, which passes on one signal: the demo then stops after its current
 * task and flushes (a second signal would mean "quit now" to it). Its IPC channel closes when
 * that command dies, however it dies, and the demo then stops too. tsx is loaded into the
 * demo's own process (not its CLI, which would put a relaying process in between).
 */
export function spawnDemo(args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const tsxLoader = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm')).href
  return spawn(process.execPath, ['--import', tsxLoader, DEMO_MAIN, ...args], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
    env,
  })
}
