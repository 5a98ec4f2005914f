import { cacheableTokens, deriveHashKey, findCacheRule, picoToUsd } from '@agentmeter/core'
import { llmCallSpan, taskRootSpan, toolCallSpan } from '../support/hotspot-spans'
import { createOtlpJsonBody, type JsonSpanInput } from '../support/otlp-json'
import type { TestCollector } from '../support/test-collector'
import { sharedTokens, sweAgentBackground, tauBenchBackground } from './background'
import type { LlmEvent, ToolEvent, WorkloadEvent } from './events'
import { injectWaste } from './inject'
import {
  cacheSaving,
  callCostPico,
  deciderOf,
  jaccard,
  naturalLoopTools,
  naturalToolRepeats,
  toolRepeatPico,
} from './reference'

export interface CauseScore {
  cause: string
  injected: number
  found: number
  recall: number
  flagged: number
  falsePositives: number
  /** Spans of the cause's decoys (calls that must not be flagged), and how many were. */
  decoys: number
  decoysFlagged: number
}

export interface SourceScore {
  cause: string
  source: string
  truthUsd: number
  reportedUsd: number
  relativeError: number
  rank: number | null
}

export interface EvaluationReport {
  top: string[]
  missing: string[]
  spans: number
  causes: CauseScore[]
  sources: SourceScore[]
  /** Of the 10 largest injected sources, how many the overall top 10 holds. */
  top10Hit: number
  /** The same, ranked among hotspots that hold injected spans (natural background waste aside). */
  top10HitAmongInjected: number
  nearDuplicateFalseMembers: number
  nearDuplicateFlagged: number
}

interface ApiHotspot {
  cause: string
  step: string
  detail: string
  wastedUsd: number
  exampleSpanIds: string[]
}

function toSpans(events: WorkloadEvent[]): JsonSpanInput[] {
  const roots = new Map<string, JsonSpanInput>()
  const spans: JsonSpanInput[] = []
  for (const event of events) {
    if (!roots.has(event.taskId))
      roots.set(event.taskId, taskRootSpan(event.taskId, event.taskName, event.at))
    if (event.kind === 'llm') {
      spans.push(
        llmCallSpan({
          ...event,
          spanId: event.spanId,
          ...(event.temperature !== undefined
            ? { temperature: event.temperature }
            : { temperature: 0 }),
        }),
      )
    } else {
      spans.push(toolCallSpan(event))
    }
  }
  return [...roots.values(), ...spans]
}

/** Truth in pico-USD of each injected span, by the definitions. */
function truthOf(events: WorkloadEvent[], injection: { cause: string; spanId: string }): bigint {
  const event = events.find((e) => e.spanId === injection.spanId)!
  if (injection.cause === 'repeated_tool_call') return toolRepeatPico(events, event as ToolEvent)
  const call = event as LlmEvent
  if (injection.cause !== 'missed_prompt_cache') return callCostPico(call)
  const rule = findCacheRule(call.provider, call.model)!
  const previous = events
    .filter((e): e is LlmEvent => e.kind === 'llm' && e.taskId === call.taskId && e.at < call.at)
    .sort((a, b) => b.at.getTime() - a.at.getTime())[0]
  const shared = sharedTokens(previous, call)
  if (shared > 0) {
    const missed = Math.max(0, cacheableTokens(rule, shared) - call.cacheRead)
    return cacheSaving(call, missed, missed)
  }
  // A breaker: the previous prompt's cacheable part is lost.
  const reusable = Math.min(previous!.prefixTokens.at(-1)!, call.prefixTokens.at(-1)!)
  return cacheSaving(call, cacheableTokens(rule, reusable), 0)
}

/** Builds the workload, posts it to `collector` as OTLP/JSON and scores what the API reports. */
export async function evaluateHotspots(collector: TestCollector): Promise<EvaluationReport> {
  const key = deriveHashKey({ hashKey: 'evaluation-project' })!
  const start = new Date(Date.UTC(2026, 10, 2, 0, 0, 0))
  const background = [
    ...tauBenchBackground(key, start),
    ...sweAgentBackground(new Date(start.getTime() + 50 * 3_600_000)),
  ]
  const { events, injections, decoys } = injectWaste(key, background)
  const spans = toSpans(events)
  for (let i = 0; i < spans.length; i += 500) {
    const response = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
      body: createOtlpJsonBody(spans.slice(i, i + 500)),
    })
    if (response.status !== 200) throw new Error(`ingest failed: ${response.status}`)
  }
  const { body } = await collector.api<{ hotspots: ApiHotspot[] }>(
    '/api/v1/hotspots?from=2026-11-01T00:00:00Z&to=2026-11-10T00:00:00Z&examples=100000',
  )

  const injectedIds = new Set(injections.map((i) => i.spanId))
  const natural: Record<string, Set<string>> = {
    repeated_tool_call: new Set(naturalToolRepeats(events, injectedIds).map((t) => t.spanId)),
    loop: new Set(naturalLoopTools(events).map((t) => deciderOf(events, t)?.spanId ?? '')),
  }
  const causes = [
    'duplicate_llm_call',
    'repeated_tool_call',
    'missed_prompt_cache',
    'near_duplicate_prompt',
    'loop',
  ]
  const tails = events.filter((e): e is LlmEvent => e.kind === 'llm' && e.minhash.length > 0)
  const missing: string[] = []
  let nearFalse = 0
  let nearFlagged = 0
  const causeScores = causes.map((cause) => {
    const flagged = new Set(
      body.hotspots.filter((h) => h.cause === cause).flatMap((h) => h.exampleSpanIds),
    )
    const mine = injections.filter((i) => i.cause === cause)
    missing.push(...mine.filter((i) => !flagged.has(i.spanId)).map((i) => i.spanId))
    const found = mine.filter((i) => flagged.has(i.spanId)).length
    let falsePositives = 0
    for (const spanId of flagged) {
      if (injectedIds.has(spanId) || natural[cause]?.has(spanId)) continue
      if (cause === 'near_duplicate_prompt') {
        // A natural near duplicate is real when its tail is that close to another prompt's.
        const call = tails.find((t) => t.spanId === spanId)
        if (call && tails.some((t) => t.spanId !== spanId && jaccard(t.tail, call.tail) >= 0.5))
          continue
      }
      falsePositives++
    }
    if (cause === 'near_duplicate_prompt') {
      nearFalse = falsePositives
      nearFlagged = flagged.size
    }
    return {
      cause,
      injected: mine.length,
      found,
      recall: mine.length === 0 ? 1 : found / mine.length,
      flagged: flagged.size,
      falsePositives,
      decoys: decoys.filter((d) => d.cause === cause).length,
      decoysFlagged: decoys.filter((d) => d.cause === cause && flagged.has(d.spanId)).length,
    }
  })

  const ranked = [...body.hotspots].sort((a, b) => b.wastedUsd - a.wastedUsd)
  const sourceNames = [...new Set(injections.map((i) => `${i.cause}|${i.source}`))]
  const sources: SourceScore[] = sourceNames.map((name) => {
    const [cause, source] = name.split('|') as [string, string]
    const truth = injections
      .filter((i) => i.cause === cause && i.source === source)
      .reduce((sum, i) => sum + truthOf(events, i), 0n)
    const matches = ranked.filter((h) => h.cause === cause && h.step === source)
    const reported = matches.reduce((sum, h) => sum + h.wastedUsd, 0)
    const truthUsd = Number(picoToUsd(truth))
    const index = ranked.findIndex((h) => h.cause === cause && h.step === source)
    return {
      cause,
      source,
      truthUsd,
      reportedUsd: reported,
      relativeError: truthUsd === 0 ? 0 : reported / truthUsd - 1,
      rank: index < 0 ? null : index + 1,
    }
  })
  const largest = [...sources].sort((a, b) => b.truthUsd - a.truthUsd).slice(0, 10)
  // Real waste in the background (the τ-bench trials repeat near-identical prompts with the
  // same answers) competes for the top 10 too; ranked among the hotspots that hold injected
  // spans, the list shows whether the detectors order the injected sources right.
  const injectedOf = (cause: string) =>
    new Set(injections.filter((i) => i.cause === cause).map((i) => i.spanId))
  const injectedRanked = ranked.filter((h) => {
    const ids = injectedOf(h.cause)
    return h.exampleSpanIds.some((id) => ids.has(id))
  })
  const injectedRank = (s: SourceScore) =>
    injectedRanked.findIndex((h) => h.cause === s.cause && h.step === s.source)
  return {
    top: ranked.slice(0, 12).map((h) => `${h.cause}/${h.step}/${h.detail}: ${h.wastedUsd}`),
    spans: spans.length,
    causes: causeScores,
    sources,
    missing,
    top10HitAmongInjected: largest.filter((s) => {
      const rank = injectedRank(s)
      return rank >= 0 && rank < 10
    }).length,
    top10Hit: largest.filter((s) => s.rank !== null && s.rank <= 10).length,
    nearDuplicateFalseMembers: nearFalse,
    nearDuplicateFlagged: nearFlagged,
  }
}
