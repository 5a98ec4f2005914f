import { init, instrumentAnthropic, instrumentOpenAI, task } from '@agentmeter/sdk'
import { startReplayServer } from '@agentmeter/replay'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'

import { AGENTS } from './agents'
import type { Agent } from './agents'
import { ROUTING_AGENTS } from './agents/routing-agents'
import { createRng } from './prng'
import { classifyShadow } from './shadow/classify-shadow'
import type { Rng } from './prng'

/** Where the demo sends its traces, and what it runs. */
export interface RunDemoOptions {
  /** Collector base URL, e.g. `http://127.0.0.1:4318` (the SDK posts to `/v1/traces`). */
  endpoint: string
  /** Project API key with the ingest scope. */
  apiKey: string
  /** Number of tasks to run. */
  tasks: number
  /**
   * Seed of the task mix and of every choice inside the tasks.
   * @default 1
   */
  seed?: number
  /** Called after each task with its name and whether it succeeded. */
  onTask?: (name: string, ok: boolean) => void
}

/** What a demo run did. */
export interface DemoSummary {
  tasks: number
  failed: number
}

/** Hooks of one batch. */
export interface BatchOptions {
  /** Called after each task with its name and whether it succeeded. */
  onTask?: (name: string, ok: boolean) => void
  /** Stop before the next task once aborted; the batch then reports the tasks it ran. */
  signal?: AbortSignal
}

/** Hooks of the routing history. */
export interface RoutingOptions extends BatchOptions {
  /**
   * Routing tasks an earlier run already sent: their draws are skipped, so this run sends the
   * tasks after them, as one uninterrupted run would have.
   */
  skip?: number
}

/** A running demo: a replay provider, the SDK and the two clients, for one or more batches. */
export interface DemoSession {
  /** Run `tasks` more tasks; the mix continues from the previous batch. */
  runBatch(tasks: number, options?: BatchOptions): Promise<DemoSummary>
  /**
   * Run `tasks` tasks of the routing agents (mixed fleets with seeded outcomes), alternating
   * between them, from a random source of their own so the main mix stays as it is.
   */
  runRouting(tasks: number, options?: RoutingOptions): Promise<DemoSummary>
  /** Flush and shut the SDK down, then stop the replay provider. */
  close(): Promise<void>
}

// Placeholders: the replay provider takes any key, and no real key must ever reach it.
const OPENAI_DUMMY_KEY = 'sk-demo-not-a-real-key'
const ANTHROPIC_DUMMY_KEY = 'sk-ant-demo-not-a-real-key'

/**
 * Run the demo agents once: start a loopback replay provider, point real `openai` and
 * `@anthropic-ai/sdk` clients at it, trace `tasks` tasks through `@agentmeter/sdk` into
 * `endpoint`, then flush, shut down and stop the provider. The same seed gives the same tasks.
 * Once per process: `init()` keeps its first configuration, and after the shutdown here a second
 * run would not be traced. For repeated batches, use one `startDemo()` session.
 */
export async function runDemo(options: RunDemoOptions): Promise<DemoSummary> {
  const session = await startDemo(options)
  try {
    return await session.runBatch(options.tasks, { onTask: options.onTask })
  } finally {
    await session.close()
  }
}

/** Start a demo session for repeated batches (the CLI's `--loop`); `runDemo` is one batch. */
export async function startDemo(
  options: Pick<RunDemoOptions, 'endpoint' | 'apiKey' | 'seed'> & {
    /**
     * This run's number on the store (0: the first): the tasks of `runBatch` draw from the seed
     * plus it, so a later run brings new work; the routing history always from the seed.
     * @default 0
     */
    run?: number
  },
): Promise<DemoSession> {
  const seed = options.seed ?? 1
  const liveSeed = seed + (options.run ?? 0)
  const replay = await startReplayServer()
  // init() first: it patches the client modules, so clients created afterwards are traced.
  const sdk = init({
    endpoint: options.endpoint,
    apiKey: options.apiKey,
    serviceName: 'demo-agents',
    shadow: classifyShadow(liveSeed),
  })
  const openai = instrumentOpenAI(
    new OpenAI({ apiKey: OPENAI_DUMMY_KEY, baseURL: replay.openaiBaseURL, maxRetries: 0 }),
  )
  const anthropic = instrumentAnthropic(
    new Anthropic({ apiKey: ANTHROPIC_DUMMY_KEY, baseURL: replay.anthropicBaseURL, maxRetries: 0 }),
  )
  const rng = createRng(liveSeed)
  // The first tasks deal every kind once, so even a short run shows them all; later tasks are
  // drawn by weight.
  const firstRound = rng.shuffle(AGENTS.map((entry) => entry.agent))
  let drawn = 0
  const routingRng = createRng(seed + 0x5eed)

  const runTasks = async (
    tasks: number,
    { onTask, signal }: BatchOptions,
    nextAgent: () => Agent,
    source: Rng,
  ): Promise<DemoSummary> => {
    let ran = 0
    let failed = 0
    for (; ran < tasks && signal?.aborted !== true; ran++) {
      const agent = nextAgent()
      const prepared = agent.prepare({ openai, anthropic, rng: source.fork() })
      let ok: boolean
      try {
        ok = await task(agent.name, () => prepared.run(), prepared.attributes)
      } catch {
        // The SDK recorded the error on the task span; the demo only counts it.
        ok = false
      }
      if (!ok) failed++
      onTask?.(agent.name, ok)
    }
    // Send the batch now rather than on the exporter's timer, so a dashboard shows it at once.
    await sdk.forceFlush()
    return { tasks: ran, failed }
  }

  return {
    runBatch(tasks, options = {}) {
      return runTasks(tasks, options, () => firstRound[drawn++] ?? drawAgent(rng), rng)
    },
    runRouting(tasks, options = {}) {
      const skip = options.skip ?? 0
      // Each task takes one draw of the source (its fork), whatever it then does with it.
      for (let i = 0; i < skip; i++) routingRng.fork()
      let next = skip
      const agent = () => ROUTING_AGENTS[next++ % ROUTING_AGENTS.length]!
      return runTasks(tasks, options, agent, routingRng)
    },
    async close() {
      try {
        await sdk.forceFlush()
        await sdk.shutdown()
      } finally {
        await replay.close()
      }
    },
  }
}

/** A kind drawn by weight. */
function drawAgent(rng: Rng): Agent {
  const total = AGENTS.reduce((sum, entry) => sum + entry.weight, 0)
  let roll = rng.next() * total
  for (const entry of AGENTS) {
    roll -= entry.weight
    if (roll < 0) return entry.agent
  }
  return AGENTS[AGENTS.length - 1]!.agent
}
