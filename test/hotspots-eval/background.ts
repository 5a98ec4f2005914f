import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import {
  cacheableTokens,
  canonicalJson,
  estimateTokens,
  findCacheRule,
  fingerprintRequest,
  fingerprintResponse,
  fingerprintToolArgs,
  fingerprintToolResult,
  textOf,
  type HashKey,
} from '@agentmeter/core'
import type { LlmEvent, WorkloadEvent } from './events'

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'traces')

interface TauMessage {
  role: string
  content: string | null
  tool_calls?: Array<{ id: string; function: { name: string; arguments: string } }>
  tool_call_id?: string
}

interface TauRun {
  task_id: number
  trial: number
  traj: TauMessage[]
}

/** Tokens of the prefix two chains share: equal leading links mean equal leading segments. */
export function sharedTokens(a: LlmEvent | undefined, b: LlmEvent): number {
  if (!a) return 0
  let shared = 0
  while (shared < a.prefixHashes.length && a.prefixHashes[shared] === b.prefixHashes[shared]) {
    shared++
  }
  return shared === 0 ? 0 : b.prefixTokens[shared - 1]!
}

/** An LLM call over `messages`, fingerprinted for real with the project key. */
export function llmEvent(
  key: HashKey,
  base: Omit<
    LlmEvent,
    | 'kind'
    | 'requestHash'
    | 'responseHash'
    | 'prefixHashes'
    | 'prefixTokens'
    | 'systemHash'
    | 'minhash'
    | 'input'
    | 'output'
    | 'tail'
    | 'messages'
    | 'cacheRead'
  >,
  messages: unknown[],
  answer: unknown,
  previous: LlmEvent | undefined,
): LlmEvent {
  const fp = fingerprintRequest(key, { model: base.model, params: { temperature: 0 }, messages })
  const event: LlmEvent = {
    kind: 'llm',
    ...base,
    input: fp.prefixTokenEstimates[fp.prefixTokenEstimates.length - 1] ?? 0,
    output: Math.max(1, estimateTokens(canonicalJson(answer))),
    cacheRead: 0,
    requestHash: fp.requestHash,
    responseHash: fingerprintResponse(key, answer),
    prefixHashes: fp.prefixHashes,
    prefixTokens: fp.prefixTokenEstimates,
    systemHash: fp.systemHash,
    minhash: fp.minhash,
    tail: textOf(messages[messages.length - 1]),
    messages,
  }
  // The provider cached what it could of the prefix shared with the task's previous call.
  const rule = findCacheRule(event.provider, event.model)
  event.cacheRead = rule ? cacheableTokens(rule, sharedTokens(previous, event)) : 0
  return event
}

/**
 * The τ-bench airline runs (5 tasks × 4 trials, gpt-4o) as tasks of LLM and tool calls with
 * real fingerprints of their real messages. Runs are 2 hours apart, calls 5 s apart.
 */
export function tauBenchBackground(key: HashKey, start: Date): WorkloadEvent[] {
  const file = path.join(FIXTURES, 'tau-bench_gpt-4o-airline_tasks0-4.json.gz')
  const runs = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')) as TauRun[]
  const events: WorkloadEvent[] = []
  runs.forEach((run, runIndex) => {
    const taskId = `tau-${run.task_id}-${run.trial}`
    let clock = start.getTime() + runIndex * 2 * 3_600_000
    let previous: LlmEvent | undefined
    let calls = 0
    run.traj.forEach((message, index) => {
      if (message.role !== 'assistant') return
      clock += 5_000
      const llm = llmEvent(
        key,
        {
          spanId: spanId('a', runIndex, calls++),
          taskId,
          taskName: 'airline-support',
          step: 'respond',
          at: new Date(clock),
          provider: 'openai',
          model: 'gpt-4o',
        },
        run.traj.slice(0, index),
        message,
        previous,
      )
      events.push(llm)
      previous = llm
      for (const call of message.tool_calls ?? []) {
        clock += 1_000
        const result = run.traj.find((m) => m.role === 'tool' && m.tool_call_id === call.id)
        const args: unknown = JSON.parse(call.function.arguments)
        const fp = fingerprintToolResult(key, result?.content ?? '')
        events.push({
          kind: 'tool',
          spanId: spanId('b', runIndex, calls++),
          taskId,
          taskName: 'airline-support',
          step: 'act',
          at: new Date(clock),
          tool: call.function.name,
          argsHash: fingerprintToolArgs(key, call.function.name, args),
          resultHash: fp.resultHash,
          resultTokens: fp.resultTokens,
        })
      }
    })
  })
  return events
}

interface SweRecord {
  record: string
  kind?: string
  span_id?: string
  model?: string
  start_ts?: number
  ts?: number
  input_tokens?: number
  output_tokens?: number
  cached_input_tokens?: number
  prompt_prefix_hashes?: string[]
  output_hash?: string
  tool_name?: string
  tool_args_hash?: string
  tool_call_id?: string
  result_hash?: string
  result_chars?: number
}

/**
 * The mini-swe-agent run (64 DeepSeek calls and their bash commands) as published: hash-only
 * spans with real token counts and provider-reported cached tokens. Its hashes are unsalted
 * SHA-256 prefixes (see the .source.txt); they are used as given, as a foreign client would post.
 */
export function sweAgentBackground(start: Date): WorkloadEvent[] {
  const file = path.join(FIXTURES, 'mini-swe-agent_pr854_astropy-12907.spans.jsonl')
  const records = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as SweRecord)
  const first = records.find((r) => r.kind === 'llm')!.start_ts!
  const at = (ts: number) => new Date(start.getTime() + Math.round((ts - first) * 1000))
  const results = new Map(
    records.filter((r) => r.record === 'tool_result').map((r) => [r.tool_call_id, r]),
  )
  const events: WorkloadEvent[] = []
  let lastLlm = start
  for (const record of records) {
    if (record.kind === 'llm') {
      lastLlm = at(record.start_ts!)
      const llm: LlmEvent = {
        kind: 'llm',
        spanId: spanId('c', 0, events.length),
        taskId: 'swe-astropy-12907',
        taskName: 'swe-fix',
        step: 'agent_turn',
        at: lastLlm,
        provider: 'deepseek',
        model: record.model!,
        input: record.input_tokens!,
        output: record.output_tokens!,
        cacheRead: record.cached_input_tokens!,
        requestHash: record.prompt_prefix_hashes![record.prompt_prefix_hashes!.length - 1]!,
        responseHash: record.output_hash!,
        prefixHashes: [],
        prefixTokens: [],
        systemHash: '',
        minhash: [],
        tail: '',
        messages: [],
      }
      events.push(llm)
    } else if (record.kind === 'tool') {
      const result = results.get(record.tool_call_id)
      events.push({
        kind: 'tool',
        spanId: spanId('d', 0, events.length),
        taskId: 'swe-astropy-12907',
        taskName: 'swe-fix',
        step: 'bash',
        at: new Date(lastLlm.getTime() + 200 + events.length),
        tool: record.tool_name!,
        argsHash: record.tool_args_hash!,
        resultHash: result?.result_hash ?? '',
        resultTokens: Math.ceil((result?.result_chars ?? 0) / 4),
      })
    }
  }
  return events
}

export function spanId(prefix: string, group: number, index: number): string {
  return `${prefix}${group.toString(16).padStart(5, '0')}${index.toString(16).padStart(10, '0')}`
}
