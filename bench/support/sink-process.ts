import { fork, type ChildProcess } from 'node:child_process'
import { startSink, type CollectorBehaviour } from './sdk-harness'

/** The sink process, seen from the parent. */
export interface SinkProcess {
  url: string
  /**
   * The healthy sink's spans received so far (attributes as decoded, 64-bit integers as
   * numbers), after which it stops decoding and only acknowledges.
   */
  takeSpans(): Promise<{ name: string; attributes: Record<string, unknown> }[]>
  close(): void
}

/**
 * The stand-in collector in a child process of its own, for the SDK benchmarks: a real
 * collector is another process, and handling each export in the app's process would put the
 * collector's work on the event loop whose latency (or holds) is measured. Run as a script,
 * this file is the child: it starts the sink and sends its URL to the parent.
 */
export async function startSinkProcess(behaviour: CollectorBehaviour): Promise<SinkProcess> {
  const child: ChildProcess = fork(new URL(import.meta.url).pathname, ['--child', behaviour], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message) => resolve(String(message)))
    child.once('exit', (code) => reject(new Error(`the sink process exited with ${code}`)))
  })
  const takeSpans = () =>
    new Promise<{ name: string; attributes: Record<string, unknown> }[]>((resolve) => {
      child.once('message', (message) => resolve(JSON.parse(String(message))))
      child.send('take spans')
    })
  return { url, takeSpans, close: () => void child.kill() }
}

if (process.argv.includes('--child') && process.send) {
  const behaviour = process.argv[process.argv.indexOf('--child') + 1] as CollectorBehaviour
  const sink = await startSink(behaviour)
  // The healthy sink keeps only its newest spans (what `takeSpans` is for), not all of them.
  if (behaviour === 'healthy') {
    setInterval(() => sink.spans.splice(0, Math.max(0, sink.spans.length - 100)), 1000).unref()
  }
  process.on('message', (message) => {
    if (message !== 'take spans') return
    const spans = sink.spans.splice(0).map((span) => ({
      name: span.name,
      attributes: span.attributes,
    }))
    sink.decoding = false
    process.send!(
      JSON.stringify(spans, (_, value) => (typeof value === 'bigint' ? Number(value) : value)),
    )
  })
  process.send(sink.url)
  process.on('disconnect', () => void sink.close().then(() => process.exit(0)))
}
