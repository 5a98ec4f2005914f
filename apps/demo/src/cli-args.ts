import { parseArgs } from 'node:util'

/** Options of the demo CLI, after defaults. */
export interface CliOptions {
  endpoint: string
  apiKey: string
  tasks: number
  /** Tasks of the routing agents to run once before the first batch (0: none). */
  routingTasks: number
  loop: boolean
  intervalMillis: number
  seed?: number
  /** `--state FILE`: what the demo already sent into this store (see demo-state.ts). */
  stateFile?: string
  help: boolean
}

export const USAGE = `Usage: tsx apps/demo/src/main.ts [options]

Runs demo agents (real openai and @anthropic-ai/sdk clients against a loopback replay provider)
and sends their traces to an agentmeter collector.

Options:
  --endpoint URL      collector base URL (default: $AGENTMETER_ENDPOINT or http://127.0.0.1:4318)
  --key KEY           project API key with the ingest scope (default: $AGENTMETER_API_KEY)
  --tasks N           tasks per batch (default: 12)
  --routing-tasks N   first run N tasks of the routing agents, whose mixed fleets give the
                      routing recommender observed evidence (default: 0)
  --loop              keep running batches until SIGINT or SIGTERM
  --interval-ms N     pause between batches with --loop (default: 5000)
  --seed N            seed of the task mix; the same seed runs the same tasks (default: 1)
  --state FILE        what the demo already sent into this store: the routing history is sent
                      once (a stopped run's rest on the next run), and each run's tasks take
                      the seed plus the runs before it, so a second run adds new work only
  -h, --help          show this help`

const DEFAULT_ENDPOINT = 'http://127.0.0.1:4318'

/**
 * Parse the CLI arguments, with defaults from the environment.
 * @throws Error naming the flag and the value when an argument is invalid or the key is missing
 */
export function parseCliArgs(argv: readonly string[], env: NodeJS.ProcessEnv): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      endpoint: { type: 'string' },
      key: { type: 'string' },
      tasks: { type: 'string' },
      'routing-tasks': { type: 'string' },
      loop: { type: 'boolean', default: false },
      'interval-ms': { type: 'string' },
      seed: { type: 'string' },
      state: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  })

  const endpoint = values.endpoint ?? env.AGENTMETER_ENDPOINT ?? DEFAULT_ENDPOINT
  const apiKey = values.key ?? env.AGENTMETER_API_KEY ?? ''
  const options: CliOptions = {
    endpoint,
    apiKey,
    tasks: integer('--tasks', values.tasks, 12, 1),
    routingTasks: integer('--routing-tasks', values['routing-tasks'], 0, 0),
    loop: values.loop,
    intervalMillis: integer('--interval-ms', values['interval-ms'], 5000, 0),
    help: values.help,
  }
  if (values.seed !== undefined) options.seed = integer('--seed', values.seed, 1, 0)
  if (values.state !== undefined) options.stateFile = values.state
  if (options.help) return options

  if (!/^https?:\/\//.test(endpoint)) {
    throw new Error(`--endpoint got "${endpoint}"; expected an http:// or https:// URL`)
  }
  if (apiKey === '') throw new Error('missing API key: pass --key KEY or set AGENTMETER_API_KEY')
  return options
}

function integer(flag: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!Number.isSafeInteger(value) || value < min) {
    throw new Error(`${flag} got "${raw}"; expected an integer of at least ${min}`)
  }
  return value
}
