import { fork, type ChildProcess } from 'node:child_process'
import { startSink, type CollectorBehaviour } from './sdk-harness'

/**
 * The stand-in collector in a child process of its own, for the latency benchmark: a real
 * collector is another process, and decoding each export in the app's process would put the
 * collector's work on the event loop whose latency is measured. Run as a script, this file is
 * the child: it starts the sink and sends its URL to the parent.
 */
export async function startSinkProcess(
  behaviour: CollectorBehaviour,
): Promise<{ url: string; close(): void }> {
  const child: ChildProcess = fork(new URL(import.meta.url).pathname, ['--child', behaviour], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve(String(message)))
    child.once('exit', (code) => reject(new Error(`the sink process exited with ${code}`)))
  })
  return { url, close: () => void child.kill() }
}

if (process.argv.includes('--child') && process.send) {
  const behaviour = process.argv[process.argv.indexOf('--child') + 1] as CollectorBehaviour
  const sink = await startSink(behaviour)
  // The healthy sink keeps no spans here: nothing reads them, and they would only grow.
  if (behaviour === 'healthy') setInterval(() => sink.spans.splice(0), 1000).unref()
  process.send(sink.url)
  process.on('disconnect', () => void sink.close().then(() => process.exit(0)))
}
