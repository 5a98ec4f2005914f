import { fork, type ChildProcess } from 'node:child_process'
import { startReplayServer } from '@agentmeter/replay'

/**
 * The replay provider in a child process of its own, so a benchmark of client-side work does
 * not also time the provider's (a real provider is another machine). Run as a script, this file
 * is the child: it starts the server and sends its OpenAI base URL to the parent.
 */
export async function startReplayProcess(): Promise<{ openaiBaseURL: string; close(): void }> {
  const child: ChildProcess = fork(new URL(import.meta.url).pathname, ['--child'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const openaiBaseURL = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve(String(message)))
    child.once('exit', (code) => reject(new Error(`the replay process exited with ${code}`)))
  })
  return { openaiBaseURL, close: () => void child.kill() }
}

if (process.argv.includes('--child') && process.send) {
  const server = await startReplayServer()
  process.send(server.openaiBaseURL)
  process.on('disconnect', () => void server.close().then(() => process.exit(0)))
}
