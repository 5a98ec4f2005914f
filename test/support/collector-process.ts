import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const CLI = path.resolve(import.meta.dirname, '../../apps/collector/src/cli/main.ts')
// tsx's loader in this very process, not the tsx CLI: the CLI runs the script in a child of its
// own, which a SIGKILL of the CLI would leave running.
const TSX_LOADER = pathToFileURL(
  createRequire(path.resolve(import.meta.dirname, '../../apps/collector/package.json')).resolve(
    'tsx/esm',
  ),
).href

export interface CollectorProcess {
  url: string
  apiKey: string
  child: ChildProcess
  /** What the process wrote to stderr (its JSON logs), for failure messages. */
  logs(): string
  /** SIGKILL: the process dies at once, as in a crash; resolves once it has exited. */
  kill(): Promise<void>
  /** SIGTERM: a clean stop; resolves once it has exited. */
  stop(): Promise<void>
}

/**
 * `agentmeter start` in its own process, configured only through the environment (as in a
 * container), on an ephemeral loopback port unless `port` is given (a restart on the same
 * address).
 */
export async function startCollectorProcess(
  env: Record<string, string>,
  options: { port?: number } = {},
): Promise<CollectorProcess> {
  // Every collector process owns its data directory (its spool), also on a server store. One
  // made here lives as long as the process: a restart with the same env gets a fresh one.
  const ownDataDir =
    env.AGENTMETER_DATA_DIR === undefined
      ? fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-process-'))
      : undefined
  const args = ['--import', TSX_LOADER, CLI, 'start', '--port', String(options.port ?? 0)]
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env,
      AGENTMETER_HOST: '127.0.0.1',
      ...(ownDataDir !== undefined ? { AGENTMETER_DATA_DIR: ownDataDir } : {}),
      ...env,
    },
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      if (ownDataDir !== undefined) fs.rmSync(ownDataDir, { recursive: true, force: true })
      resolve()
    }),
  )
  const url = await new Promise<string>((resolve, reject) => {
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match) resolve(match[1]!)
    })
    void exited.then(() => reject(new Error(`collector exited before listening:\n${stderr}`)))
  })
  const signal = async (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name)
    await exited
  }
  return {
    url,
    apiKey: env.AGENTMETER_INIT_API_KEY ?? '',
    child,
    logs: () => stderr,
    kill: () => signal('SIGKILL'),
    stop: () => signal('SIGTERM'),
  }
}
