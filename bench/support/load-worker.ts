/**
 * The ingest benchmark's load generator, run in a worker thread so that sending requests does
 * not share the collector's event loop. It posts OTLP protobuf bodies (the template with fresh
 * trace ids per request) to `/v1/traces` and reports every request's status and ack latency.
 *
 * Phases: `closed` keeps `concurrency` requests in flight for `durationMs` (throughput);
 * `open` starts requests at a fixed rate whatever the answers (latency at a given load, and
 * bursts), up to `maxInFlight` at once.
 */

import { parentPort, workerData } from 'node:worker_threads'
import { performance } from 'node:perf_hooks'
import { TraceIdStamper, type TemplateBody } from './task-tree-bodies'
import { ownThreadId } from './thread-cpu'

export interface LoadWorkerData {
  url: string
  apiKey: string
  template: TemplateBody
}

export type LoadPhaseSpec =
  | { mode: 'closed'; concurrency: number; durationMs: number }
  | { mode: 'open'; requestsPerSecond: number; durationMs: number; maxInFlight: number }

/** A phase as posted to the worker: the spec and the first request's sequence number. */
export type LoadPhase = LoadPhaseSpec & { firstSequence: number }

export interface PhaseReport {
  requests: number
  /** Answers by HTTP status ("error" for a failed connection). */
  statuses: Record<string, number>
  /** Ack latency of each 200, in milliseconds. */
  latenciesMs: number[]
  acceptedSpans: number
  acceptedBytes: number
  /** Requests the open phase could not start because `maxInFlight` were pending. */
  skipped: number
  elapsedMs: number
  nextSequence: number
}

const { url, apiKey, template } = workerData as LoadWorkerData
const stamper = new TraceIdStamper(template)
const headers = { 'content-type': 'application/x-protobuf', authorization: `Bearer ${apiKey}` }

async function send(sequence: number, report: PhaseReport): Promise<void> {
  const body = stamper.stamp(sequence)
  const started = performance.now()
  let status = 'error'
  try {
    const response = await fetch(`${url}/v1/traces`, { method: 'POST', headers, body })
    await response.arrayBuffer()
    status = String(response.status)
    if (response.status === 200) {
      report.latenciesMs.push(performance.now() - started)
      report.acceptedSpans += template.spans
      report.acceptedBytes += body.byteLength
    }
  } catch {
    // Counted as "error" below.
  }
  report.requests++
  report.statuses[status] = (report.statuses[status] ?? 0) + 1
}

async function runPhase(phase: LoadPhase): Promise<PhaseReport> {
  const report: PhaseReport = {
    requests: 0,
    statuses: {},
    latenciesMs: [],
    acceptedSpans: 0,
    acceptedBytes: 0,
    skipped: 0,
    elapsedMs: 0,
    nextSequence: phase.firstSequence,
  }
  const started = performance.now()
  const stopAt = started + phase.durationMs
  if (phase.mode === 'closed') {
    const lane = async () => {
      while (performance.now() < stopAt) await send(report.nextSequence++, report)
    }
    await Promise.all(Array.from({ length: phase.concurrency }, lane))
  } else {
    const interval = 1000 / phase.requestsPerSecond
    const pending = new Set<Promise<void>>()
    for (let due = started; due < stopAt; due += interval) {
      const wait = due - performance.now()
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      if (pending.size >= phase.maxInFlight) {
        report.skipped++
        continue
      }
      const request = send(report.nextSequence++, report).finally(() => pending.delete(request))
      pending.add(request)
    }
    await Promise.all(pending)
  }
  report.elapsedMs = performance.now() - started
  return report
}

// Which thread this is, so that the bench can tell its CPU from the collector's.
parentPort!.postMessage({ threadId: ownThreadId() })
parentPort!.on('message', (phase: LoadPhase) => {
  void runPhase(phase).then((report) => parentPort!.postMessage(report))
})
