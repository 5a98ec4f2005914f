import fs from 'node:fs'
import path from 'node:path'

/**
 * What the demo has already sent into one store, kept in a file beside it (`agentmeter start
 * --demo` keeps it in the data directory): a later run on the same store must not send the
 * seeded history again, or its identical prompts would read as repeated work in the hotspots
 * and its spend would count twice.
 */
export interface DemoState {
  /** Routing history tasks sent (all of them, or as many as a stopped run got to). */
  historyTasks: number
  /** Runs started on this store: each run's live tasks draw from a seed of their own. */
  runs: number
}

const EMPTY: DemoState = { historyTasks: 0, runs: 0 }

/** The state in `file`; none yet (a new store) is a store the demo never ran into. */
export function readDemoState(file: string): DemoState {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { ...EMPTY }
    throw err
  }
  const parsed = JSON.parse(text) as Partial<DemoState>
  const count = (value: unknown) => (Number.isInteger(value) && (value as number) >= 0 ? value : 0)
  return { historyTasks: count(parsed.historyTasks) as number, runs: count(parsed.runs) as number }
}

/** Written whole to a temporary file and renamed, so a crash never leaves half a state. */
export function writeDemoState(file: string, state: DemoState): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const temporary = `${file}.${process.pid}.tmp`
  fs.writeFileSync(temporary, JSON.stringify(state) + '\n')
  fs.renameSync(temporary, file)
}
