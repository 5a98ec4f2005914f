// CLI entry of the demo agents: `tsx apps/demo/src/main.ts --endpoint URL --key KEY [--tasks N]
// [--routing-tasks N] [--loop] [--interval-ms N] [--seed N] [--state FILE]`. Prints one line per task and a summary; never the key.
import { setTimeout as sleep } from 'node:timers/promises'

import { parseCliArgs, USAGE } from './cli-args'
import type { CliOptions } from './cli-args'
import { readDemoState, writeDemoState } from './demo-state'
import { startDemo } from './run-demo'

async function main(options: CliOptions): Promise<void> {
  const stop = new AbortController()
  const onSignal = () => {
    // A second signal means "now": skip the flush.
    if (stop.signal.aborted) process.exit(130)
    console.log('stopping after the current task, then flushing (signal again to quit at once)')
    stop.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  // Started by `agentmeter start --demo` or `agentmeter demo` (with an IPC channel): when that
  // process goes, however it goes, stop too. The channel alone keeps nothing running.
  if (process.channel) {
    process.channel.unref()
    process.on('disconnect', onSignal)
  }

  // With --state, what earlier runs sent into this store: the history is not sent again.
  const stateFile = options.stateFile
  const state = stateFile ? readDemoState(stateFile) : null
  if (stateFile && state) writeDemoState(stateFile, { ...state, runs: state.runs + 1 })
  const session = await startDemo({ ...options, run: state?.runs ?? 0 })
  let count = 0
  let failed = 0
  let last = Date.now()
  const onTask = (name: string, ok: boolean) => {
    const now = Date.now()
    count++
    console.log(
      `${String(count).padStart(5)}  ${ok ? 'ok  ' : 'FAIL'}  ${name.padEnd(16)} ${now - last} ms`,
    )
    last = now
  }

  try {
    const sent = state?.historyTasks ?? 0
    if (options.routingTasks > 0 && sent >= options.routingTasks) {
      console.log(`routing history already sent to this store (${sent} tasks); live tasks only`)
    } else if (options.routingTasks > 0) {
      const history = await session.runRouting(options.routingTasks - sent, {
        signal: stop.signal,
        skip: sent,
      })
      if (stateFile && state) {
        // Recorded once flushed: a stopped run's rest is sent by the next run, none twice.
        writeDemoState(stateFile, { runs: state.runs + 1, historyTasks: sent + history.tasks })
      }
      count += history.tasks
      failed += history.failed
      console.log(`${history.tasks} routing tasks (mixed fleets), ${history.failed} failed`)
    }
    do {
      const batch = await session.runBatch(options.tasks, { onTask, signal: stop.signal })
      failed += batch.failed
      if (!options.loop || stop.signal.aborted) break
      await sleep(options.intervalMillis, undefined, { signal: stop.signal }).catch(() => {})
      last = Date.now()
    } while (!stop.signal.aborted)
  } finally {
    await session.close()
  }
  console.log(`${count} tasks, ${failed} failed; traces sent to ${options.endpoint}`)
}

let options: CliOptions
try {
  options = parseCliArgs(process.argv.slice(2), process.env)
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error))
  console.error(USAGE)
  process.exit(2)
}
if (options.help) {
  console.log(USAGE)
} else {
  main(options).catch((error: unknown) => {
    console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  })
}
