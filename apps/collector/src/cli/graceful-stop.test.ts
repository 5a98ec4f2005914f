import { describe, expect, it } from 'vitest'
import { exitOnSignals, type SignalIo } from './graceful-stop'

/** A process stand-in: the handlers it was given, the lines it printed and how it exited. */
function createTestIo() {
  const handlers = new Map<string, () => void>()
  const lines: string[] = []
  const exits: number[] = []
  const io: SignalIo = {
    on: (signal, handler) => void handlers.set(signal, handler),
    exit: (code) => void exits.push(code),
    say: (line) => void lines.push(`out: ${line}`),
    warn: (line) => void lines.push(`err: ${line}`),
  }
  return { io, lines, exits, send: (signal: string) => handlers.get(signal)!() }
}

const settled = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('exitOnSignals', () => {
  it('should exit 0 once a graceful stop after Ctrl-C has finished', async () => {
    const { io, lines, exits, send } = createTestIo()
    let finish = () => {}
    exitOnSignals(() => new Promise<void>((resolve) => (finish = resolve)), io)
    send('SIGINT')
    await settled()
    expect(exits).toEqual([])
    finish()
    await settled()
    expect({ lines, exits }).toEqual({
      lines: [
        'out: agentmeter: SIGINT: stopping (SIGINT again to quit at once)',
        'out: agentmeter: stopped',
      ],
      exits: [0],
    })
  })

  it('should exit 1 and say why when the shutdown fails', async () => {
    const { io, lines, exits, send } = createTestIo()
    exitOnSignals(() => Promise.reject(new Error('ClickHouse refused the last insert')), io)
    send('SIGTERM')
    await settled()
    expect({ lines, exits }).toEqual({
      lines: [
        'out: agentmeter: SIGTERM: stopping (SIGTERM again to quit at once)',
        'err: agentmeter: the shutdown failed: ClickHouse refused the last insert',
      ],
      exits: [1],
    })
  })

  it('should quit at once on a second signal, as a shell reports that signal', async () => {
    const { io, lines, exits, send } = createTestIo()
    exitOnSignals(() => new Promise<void>(() => {}), io)
    send('SIGINT')
    send('SIGINT')
    await settled()
    expect(exits).toEqual([130])
    expect(lines.at(-1)).toBe(
      'err: agentmeter: SIGINT again: quitting before the shutdown finished',
    )
  })
})
