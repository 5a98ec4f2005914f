import { constants } from 'node:os'

/** What `exitOnSignals` touches of the process (a test gives its own). */
export interface SignalIo {
  on(signal: NodeJS.Signals, handler: () => void): void
  exit(code: number): void
  /** A line for the person who pressed Ctrl-C (stdout). */
  say(line: string): void
  /** A line about a failure (stderr). */
  warn(line: string): void
}

const PROCESS_IO: SignalIo = {
  on: (signal, handler) => void process.on(signal, handler),
  exit: (code) => process.exit(code),
  say: (line) => console.log(line),
  warn: (line) => console.error(line),
}

/**
 * How a long-running command ends on SIGINT (Ctrl-C) or SIGTERM: `stop` shuts it down
 * gracefully, then the process exits 0. The signal asked for a stop and got a clean one, so
 * the package manager that ran the command (`pnpm agentmeter start`, `pnpm run up`) reports no
 * failure. A shutdown that fails exits 1, saying why; a second signal while stopping exits at
 * once, 128 + its number as a shell would report it, saying the shutdown did not finish.
 */
export function exitOnSignals(stop: () => Promise<void>, io: SignalIo = PROCESS_IO): void {
  let stopping = false
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      io.warn(`agentmeter: ${signal} again: quitting before the shutdown finished`)
      io.exit(128 + constants.signals[signal])
      return
    }
    stopping = true
    io.say(`agentmeter: ${signal}: stopping (${signal} again to quit at once)`)
    stop().then(
      () => {
        io.say('agentmeter: stopped')
        io.exit(0)
      },
      (err: unknown) => {
        const reason = err instanceof Error ? err.message : String(err)
        io.warn(`agentmeter: the shutdown failed: ${reason}`)
        io.exit(1)
      },
    )
  }
  io.on('SIGINT', () => onSignal('SIGINT'))
  io.on('SIGTERM', () => onSignal('SIGTERM'))
}
