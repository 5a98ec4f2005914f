import { cacheSavingPico, priceCall, usdToPico } from '@agentmeter/core'
import type { LlmEvent, ToolEvent, WorkloadEvent } from './events'

/** The tool span's end as the harness posts it (start + 50 ms). */
export const TOOL_DURATION_MS = 50

/** A call's cost in pico-USD as the collector prices it. */
export function callCostPico(call: LlmEvent): bigint {
  const cost = priceCall({
    provider: call.provider,
    model: call.model,
    usage: {
      inputTokens: call.input,
      outputTokens: call.output,
      cacheReadTokens: call.cacheRead,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
    },
    timestamp: call.at,
  })
  return cost.costUsd === null ? 0n : usdToPico(cost.costUsd)
}

function inputRatePico(call: LlmEvent): bigint {
  const cost = priceCall({
    provider: call.provider,
    model: call.model,
    usage: {
      inputTokens: call.input,
      outputTokens: call.output,
      cacheReadTokens: call.cacheRead,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 0,
      reasoningTokens: 0,
    },
    timestamp: call.at,
  })
  return cost.inputCostUsd === null || call.input === 0
    ? 0n
    : usdToPico(cost.inputCostUsd) / BigInt(call.input)
}

/** Re-ingestion truth of a repeated tool call: its result tokens in every later call of the task. */
export function toolRepeatPico(events: WorkloadEvent[], repeat: ToolEvent): bigint {
  const end = repeat.at.getTime() + TOOL_DURATION_MS
  let total = 0n
  for (const event of events) {
    if (event.kind !== 'llm' || event.taskId !== repeat.taskId || event.at.getTime() < end) continue
    total += BigInt(repeat.resultTokens) * inputRatePico(event)
  }
  return total
}

/** Natural (not injected) repeated read-only tool calls in the background, by brute force. */
export function naturalToolRepeats(events: WorkloadEvent[], injected: Set<string>): ToolEvent[] {
  const firsts = new Map<string, ToolEvent>()
  const repeats: ToolEvent[] = []
  const tools = events
    .filter((e): e is ToolEvent => e.kind === 'tool')
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.spanId.localeCompare(b.spanId))
  for (const tool of tools) {
    if (!tool.resultHash) continue
    const key = `${tool.taskId}|${tool.tool}|${tool.argsHash}`
    const first = firsts.get(key)
    if (!first) firsts.set(key, tool)
    else if (first.resultHash === tool.resultHash && !injected.has(tool.spanId)) repeats.push(tool)
  }
  return repeats
}

/** Natural loops: (task, step, tool, args) three times or more, outside the injected ones. */
export function naturalLoopTools(events: WorkloadEvent[]): ToolEvent[] {
  const groups = new Map<string, ToolEvent[]>()
  for (const event of events) {
    if (event.kind !== 'tool') continue
    const key = `${event.taskId}|${event.step}|${event.tool}|${event.argsHash}`
    groups.set(key, [...(groups.get(key) ?? []), event])
  }
  return [...groups.values()]
    .filter((group) => group.length >= 3)
    .flatMap((group) => group.sort((a, b) => a.at.getTime() - b.at.getTime()).slice(1))
}

/** The LLM call of the task that came last before `tool` started: the one that asked for it. */
export function deciderOf(events: WorkloadEvent[], tool: ToolEvent): LlmEvent | undefined {
  let best: LlmEvent | undefined
  for (const event of events) {
    if (event.kind !== 'llm' || event.taskId !== tool.taskId || event.at > tool.at) continue
    if (!best || event.at >= best.at) best = event
  }
  return best
}

export function cacheSaving(call: LlmEvent, missedTokens: number, writeTokens: number): bigint {
  return (
    cacheSavingPico({
      provider: call.provider,
      model: call.model,
      missedTokens,
      writeTokens,
      timestamp: call.at,
    }) ?? 0n
  )
}

/** Word 3-shingle Jaccard of two texts, the near-duplicate ground truth. */
export function jaccard(a: string, b: string): number {
  const shingles = (text: string) => {
    const list = text.toLowerCase().split(/\s+/).filter(Boolean)
    const out = new Set<string>()
    for (let i = 0; i + 2 < list.length; i++) out.add(`${list[i]} ${list[i + 1]} ${list[i + 2]}`)
    return out
  }
  const x = shingles(a)
  const y = shingles(b)
  let both = 0
  for (const item of x) if (y.has(item)) both++
  const union = x.size + y.size - both
  return union === 0 ? 0 : both / union
}
