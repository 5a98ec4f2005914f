import { fingerprintToolResult, minhashBands, words, type HashKey } from '@agentmeter/core'
import { llmEvent, sharedTokens, spanId } from './background'
import type { Injection, LlmEvent, ToolEvent, WorkloadEvent } from './events'

/** A seeded PRNG (mulberry32), so every run injects the same waste. */
export function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Replaces `rate` of the words with fresh ones (at least one). */
export function editWords(text: string, rate: number, random: () => number): string {
  const list = words(text)
  const edits = Math.max(1, Math.round(list.length * rate))
  for (let i = 0; i < edits; i++) {
    list[Math.floor(random() * list.length)] = `edit${Math.floor(random() * 1e9).toString(36)}`
  }
  return list.join(' ')
}

interface Workload {
  events: WorkloadEvent[]
  injections: Injection[]
  /** Decoys that must not be flagged: resamples and repeats whose result changed. */
  decoys: Array<{ cause: string; spanId: string }>
}

/**
 * Injects waste with known ground truth into the background, each item tagged with its source
 * (a step name of its own, so every source is one hotspot) and sized so sources differ.
 */
export function injectWaste(key: HashKey, background: WorkloadEvent[], seed = 5): Workload {
  const random = prng(seed)
  const events = [...background]
  const injections: Injection[] = []
  const decoys: Workload['decoys'] = []
  const tauCalls = () =>
    events.filter(
      (e): e is LlmEvent => e.kind === 'llm' && e.taskId.startsWith('tau-') && e.step === 'respond',
    )
  const tauTools = () =>
    events.filter(
      (e): e is ToolEvent => e.kind === 'tool' && e.taskId.startsWith('tau-') && e.step === 'act',
    )
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!
  // Duplicates need originals whose hashes stay as they are and whose group no decoy joins.
  const runIds = [...new Set(tauCalls().map((call) => call.taskId))]
  const breakerRuns = new Set(runIds.slice(8, 12))
  const used = new Set<string>()
  const pickOriginal = (): LlmEvent => {
    const free = tauCalls().filter(
      (call) => !used.has(call.spanId) && !breakerRuns.has(call.taskId),
    )
    const call = pick(free)
    used.add(call.spanId)
    return call
  }
  let counter = 0
  const id = (prefix: string) => spanId(prefix, 0xeeee, counter++)
  const full = (call: LlmEvent) => call.prefixTokens[call.prefixTokens.length - 1] ?? 0

  // Exact duplicates within a task, 1 s after the original, fully cached prefix.
  for (const [source, count] of [
    ['dup-src1', 24],
    ['dup-src2', 8],
  ] as const) {
    for (let i = 0; i < count; i++) {
      const original = pickOriginal()
      const copy: LlmEvent = {
        ...original,
        spanId: id('e'),
        step: source,
        at: new Date(original.at.getTime() + 1000),
        cacheRead: cacheableOpenAi(full(original)),
      }
      events.push(copy)
      injections.push({ cause: 'duplicate_llm_call', source, spanId: copy.spanId })
    }
  }
  // Exact duplicates across tasks: the same request from another task 2 minutes later.
  for (let i = 0; i < 6; i++) {
    const original = pickOriginal()
    const copy: LlmEvent = {
      ...original,
      spanId: id('e'),
      taskId: `dup-cross-${i}`,
      step: 'dup-cross',
      at: new Date(original.at.getTime() + 120_000),
      cacheRead: cacheableOpenAi(full(original)),
    }
    events.push(copy)
    injections.push({ cause: 'duplicate_llm_call', source: 'dup-cross', spanId: copy.spanId })
  }
  // Decoys: resampling at temperature 0.7 with a different answer.
  for (let i = 0; i < 10; i++) {
    const original = pickOriginal()
    original.temperature = 0.7
    const copy: LlmEvent = {
      ...original,
      spanId: id('e'),
      step: 'resample',
      at: new Date(original.at.getTime() + 1500),
      responseHash: `${i.toString(16).padStart(4, '0')}${original.responseHash.slice(4)}`.replace(
        /^0000/,
        'ffff',
      ),
      cacheRead: cacheableOpenAi(full(original)),
    }
    events.push(copy)
    decoys.push({ cause: 'duplicate_llm_call', spanId: copy.spanId })
  }

  // Repeated read-only tool calls: the same call again 500 ms later, same result.
  // One tool per source, so each source is one hotspot (they are grouped by tool).
  const toolCounts = new Map<string, number>()
  for (const tool of tauTools()) toolCounts.set(tool.tool, (toolCounts.get(tool.tool) ?? 0) + 1)
  const [firstTool, secondTool] = [...toolCounts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([name]) => name)
  for (const [source, count, name] of [
    ['tool-src1', 20, firstTool],
    ['tool-src2', 6, secondTool],
  ] as const) {
    for (let i = 0; i < count; i++) {
      const original = pick(tauTools().filter((tool) => tool.tool === name))
      const copy: ToolEvent = {
        ...original,
        spanId: id('f'),
        step: source,
        at: new Date(original.at.getTime() + 500),
      }
      events.push(copy)
      injections.push({ cause: 'repeated_tool_call', source, spanId: copy.spanId })
    }
  }
  // Decoys: the same call whose result changed (something wrote in between).
  for (let i = 0; i < 8; i++) {
    const original = pick(tauTools())
    const copy: ToolEvent = {
      ...original,
      spanId: id('f'),
      step: 'changed-result',
      at: new Date(original.at.getTime() + 700),
      resultHash: fingerprintToolResult(key, `changed ${i}`).resultHash,
    }
    events.push(copy)
    decoys.push({ cause: 'repeated_tool_call', spanId: copy.spanId })
  }

  // Missed prompt cache: whole runs whose calls from the third on were served nothing from cache.
  const runs = runIds
  const cacheRuns: Array<[string, string[]]> = [
    ['cache-src1', runs.slice(0, 5)],
    ['cache-src2', runs.slice(5, 7)],
  ]
  for (const [source, taskIds] of cacheRuns) {
    for (const taskId of taskIds) {
      const calls = tauCalls()
        .filter((call) => call.taskId === taskId)
        .sort((a, b) => a.at.getTime() - b.at.getTime())
      for (const call of calls.slice(2)) {
        if (call.cacheRead === 0) continue
        call.cacheRead = 0
        call.step = source
        injections.push({ cause: 'missed_prompt_cache', source, spanId: call.spanId })
      }
    }
  }
  // Cache breakers: from the fourth call on, a timestamp is appended to the system prompt. The
  // fourth call is the conversation's next turn (its history extends the third call's), so it is
  // a real breaker. It carries the source's step name while the turns around it say `respond`:
  // that is the harness's tag for the source, but a conversation whose turns are labelled with
  // different steps is real too (graph agents whose nodes share one message list), and the
  // detector pairs calls by their hashes, never by step, so the label changes nothing.
  for (const [index, taskId] of runs.slice(8, 12).entries()) {
    const calls = tauCalls()
      .filter((call) => call.taskId === taskId)
      .sort((a, b) => a.at.getTime() - b.at.getTime())
    let previous = calls[2]
    for (const [n, call] of calls.slice(3).entries()) {
      const messages = call.messages.map((message, i) =>
        i === 0
          ? {
              ...(message as object),
              content: `${(message as { content: string }).content}\nSession started 2024-05-15 15:0${index}:00.`,
            }
          : message,
      )
      const rebuilt = llmEvent(
        key,
        {
          spanId: call.spanId,
          taskId,
          taskName: call.taskName,
          step: n === 0 ? 'breaker-src1' : call.step,
          at: call.at,
          provider: call.provider,
          model: call.model,
        },
        messages,
        { answer: call.responseHash },
        previous,
      )
      rebuilt.responseHash = call.responseHash
      Object.assign(call, rebuilt)
      if (n === 0)
        injections.push({
          cause: 'missed_prompt_cache',
          source: 'breaker-src1',
          spanId: call.spanId,
        })
      previous = call
    }
  }

  // Near duplicates: a prompt with 1-5% of its words edited, in a task of its own, same answer.
  const longTails = () => tauCalls().filter((call) => words(call.tail).length >= 40)
  for (const [source, count] of [
    ['near-src1', 14],
    ['near-src2', 5],
  ] as const) {
    for (let i = 0; i < count; i++) {
      const original = pick(longTails())
      const text = editWords(original.tail, 0.01 + random() * 0.04, random)
      const taskId = `${source}-${i}`
      const copy = llmEvent(
        key,
        {
          spanId: id('a'),
          taskId,
          taskName: 'airline-support',
          step: source,
          at: new Date(original.at.getTime() + 600_000),
          provider: 'openai',
          model: 'gpt-4o',
        },
        [{ role: 'user', content: text }],
        {},
        undefined,
      )
      copy.responseHash = original.responseHash
      copy.minhash = minhashBands(key, text)
      events.push(copy)
      injections.push({ cause: 'near_duplicate_prompt', source, spanId: copy.spanId })
    }
  }

  // Loops: a step that searches the same flight again and again, results changing each time.
  const loopStart = new Date(Math.max(...events.map((e) => e.at.getTime())) + 3_600_000)
  for (const [source, tasks, repeats] of [
    ['loop-src1', 3, 5],
    ['loop-src2', 1, 3],
  ] as const) {
    for (let t = 0; t < tasks; t++) {
      const taskId = `${source}-${t}`
      for (let r = 0; r <= repeats; r++) {
        const at = new Date(loopStart.getTime() + t * 600_000 + r * 10_000)
        const decider = llmEvent(
          key,
          {
            spanId: id('a'),
            taskId,
            taskName: 'airline-support',
            step: source,
            at,
            provider: 'openai',
            model: 'gpt-4o',
          },
          [
            {
              role: 'user',
              content: `Find a flight JFK to SEA, attempt ${r} of task ${taskId}. ${'Please check availability again. '.repeat(60)}`,
            },
          ],
          { r, taskId },
          undefined,
        )
        events.push(decider)
        events.push({
          kind: 'tool',
          spanId: id('f'),
          taskId,
          taskName: 'airline-support',
          step: source,
          at: new Date(at.getTime() + 1000),
          tool: 'search_direct_flight',
          argsHash: 'a1a1a1a1a1a1a1a1',
          resultHash: fingerprintToolResult(key, `${taskId} ${r}`).resultHash,
          resultTokens: 300,
        })
        if (r > 0) injections.push({ cause: 'loop', source, spanId: decider.spanId })
      }
    }
  }
  conversationsWithoutBreaks(key, events, injections, decoys, id)
  return { events, injections, decoys }
}

/**
 * Calls that were never continuations of one another, after everything else and two hours
 * apart (past the TTL and the duplicate window: a block may resend a request of another), each
 * a task of its own. None is a cache breaker:
 *
 * - fan-outs: one task opens a conversation per customer message, each with the airline policy
 *   as system prompt. Served the shared policy from cache, they waste nothing (decoys); not
 *   served (`fanout-src1`), each sibling after the first missed the policy only, never the rest
 *   of a sibling's prompt;
 * - a step change: three turns of a support conversation (`lookup`), then a reply step with a
 *   system prompt of its own and a prompt shorter than the conversation's;
 * - two conversations interleaved in one task, each served its own previous prompt: the call
 *   before each turn is the other conversation's.
 */
const BLOCK_GAP_MS = 2 * 3_600_000

function conversationsWithoutBreaks(
  key: HashKey,
  events: WorkloadEvent[],
  injections: Injection[],
  decoys: Workload['decoys'],
  id: (prefix: string) => string,
): void {
  // The background's τ-bench runs as posted (injected copies have span ids of their own), but
  // not those whose system prompt the breaker injection rewrote.
  const rewritten = new Set(
    events.filter((e) => e.kind === 'llm' && e.step === 'breaker-src1').map((e) => e.taskId),
  )
  const runs = new Map<string, LlmEvent[]>()
  for (const e of events) {
    if (e.kind !== 'llm' || !e.taskId.startsWith('tau-') || !e.spanId.startsWith('a')) continue
    if (rewritten.has(e.taskId)) continue
    runs.set(e.taskId, [...(runs.get(e.taskId) ?? []), e])
  }
  for (const run of runs.values()) run.sort((a, b) => a.at.getTime() - b.at.getTime())
  // One run per τ-bench task (trials of one task may open with the same message).
  const byTask = [
    ...new Map([...runs.entries()].map(([taskId, run]) => [taskId.split('-')[1], run])).values(),
  ]
  let clock = Math.max(...events.map((e) => e.at.getTime())) + 3_600_000
  const sent: LlmEvent[] = []
  // A call served from cache the longest prefix it shares with an earlier call of its task.
  const call = (taskId: string, step: string, messages: unknown[]): LlmEvent => {
    clock += 5_000
    const event = llmEvent(
      key,
      {
        spanId: id('d'),
        taskId,
        taskName: 'airline-support',
        step,
        at: new Date(clock),
        provider: 'openai',
        model: 'gpt-4o',
      },
      messages,
      { taskId, step, n: clock },
      undefined,
    )
    const shared = Math.max(
      0,
      ...sent.filter((e) => e.taskId === taskId).map((e) => sharedTokens(e, event)),
    )
    event.cacheRead = cacheableOpenAi(shared)
    sent.push(event)
    events.push(event)
    return event
  }
  const openers = [
    ...new Map(
      [...runs.values()]
        .map((run) => run[0]!.messages)
        .filter((messages) => messages.length === 2)
        .map((messages) => [JSON.stringify(messages[1]), messages] as const),
    ).values(),
  ].slice(0, 6)
  for (const [taskId, served] of [
    ['fanout-served', true],
    ['fanout-src1', false],
  ] as const) {
    clock += BLOCK_GAP_MS
    for (const [n, messages] of openers.entries()) {
      const sibling = call(taskId, taskId, messages)
      if (served || n === 0) {
        decoys.push({ cause: 'missed_prompt_cache', spanId: sibling.spanId })
        continue
      }
      sibling.cacheRead = 0
      injections.push({ cause: 'missed_prompt_cache', source: taskId, spanId: sibling.spanId })
    }
  }

  clock += BLOCK_GAP_MS
  for (const turn of byTask[0]!.slice(0, 3)) {
    const lookup = call('steps-0', 'lookup', turn.messages)
    decoys.push({ cause: 'missed_prompt_cache', spanId: lookup.spanId })
  }
  const reply = call('steps-0', 'reply', [
    { role: 'system', content: 'You write the final reply to the customer from the notes.' },
    { role: 'user', content: 'Notes: booking found, change allowed, no fee.' },
  ])
  decoys.push({ cause: 'missed_prompt_cache', spanId: reply.spanId })

  clock += BLOCK_GAP_MS
  const [first, second] = [byTask[1]!.slice(0, 4), byTask[2]!.slice(0, 4)]
  for (let turn = 0; turn < 4; turn++) {
    for (const run of [first, second]) {
      const event = call('interleaved-0', 'respond-both', run[turn]!.messages)
      decoys.push({ cause: 'missed_prompt_cache', spanId: event.spanId })
    }
  }
}

function cacheableOpenAi(tokens: number): number {
  return tokens < 1024 ? 0 : 1024 + Math.floor((tokens - 1024) / 128) * 128
}
