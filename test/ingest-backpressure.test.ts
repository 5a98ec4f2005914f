import { request as httpRequest } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOtlpJsonBody, toUnixNano, type JsonSpanInput } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

// Load shedding: a request beyond the in-flight bound is refused with 503 and Retry-After
// before its body is read, and nothing of it is stored; the request that holds the slot is
// stored in full once it completes, and the slot is free again after it is answered.

let collector: TestCollector

beforeAll(async () => {
  collector = await createTestCollector({ env: { AGENTMETER_MAX_INGEST_REQUESTS: '1' } })
})

afterAll(async () => {
  await collector?.close()
})

function span(traceByte: string, index: number): JsonSpanInput {
  const start = new Date(Date.now() - 10_000)
  return {
    traceId: traceByte.repeat(16),
    spanId: (index + 1).toString(16).padStart(16, '0'),
    name: `work ${index}`,
    startTimeUnixNano: toUnixNano(start),
    endTimeUnixNano: toUnixNano(new Date(start.getTime() + 5)),
    attributes: {},
  }
}

function post(body: string) {
  return fetch(`${collector.url}/v1/traces`, {
    method: 'POST',
    headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
    body,
  })
}

/** Starts a request and sends only the first half of its body; `finish` sends the rest. */
function startHeldRequest(body: string): { finish(): Promise<number> } {
  const url = new URL('/v1/traces', collector.url)
  let resolveStatus: (status: number) => void
  const status = new Promise<number>((resolve) => (resolveStatus = resolve))
  const req = httpRequest(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${collector.apiKey}`,
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    },
  })
  req.on('response', (response) => {
    response.resume()
    resolveStatus(response.statusCode ?? 0)
  })
  const half = Math.floor(body.length / 2)
  req.write(body.slice(0, half))
  return {
    finish() {
      req.end(body.slice(half))
      return status
    },
  }
}

async function storedSpans(traceId: string): Promise<number> {
  const result = await collector.client.query({
    query: 'SELECT count() AS n FROM spans WHERE trace_id = {traceId:String}',
    query_params: { traceId },
    format: 'JSONEachRow',
  })
  const [row] = await result.json<{ n: string }>()
  return Number(row!.n)
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt++) {
    if (await condition()) return
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
  throw new Error('condition not met in 2 s')
}

describe('ingest load shedding', () => {
  it('refuses a request beyond the in-flight bound with 503 and Retry-After, storing none of it', async () => {
    const held = startHeldRequest(createOtlpJsonBody([span('a1', 0), span('a1', 1)]))
    // The held request is admitted once its headers arrive; a probe then finds no slot. Each
    // probe has its own trace, so the refused one can be looked for in the store.
    let refused: Response | undefined
    let refusedBody = ''
    let probe = 0
    await until(async () => {
      probe++
      refusedBody = createOtlpJsonBody([span(probe.toString(16).padStart(2, 'c'), 0)])
      refused = await post(refusedBody)
      return refused.status !== 200
    })
    const refusedTrace = probe.toString(16).padStart(2, 'c').repeat(16)
    expect(refused!.status).toBe(503)
    expect(refused!.headers.get('retry-after')).toBe('1')
    expect(((await refused!.json()) as { message: string }).message).toBe(
      'the collector is overloaded; the spans were not stored, retry later',
    )
    expect(await storedSpans(refusedTrace)).toBe(0)

    expect(await held.finish()).toBe(200)
    expect(await storedSpans('a1'.repeat(16))).toBe(2)

    // The slot is free again: the refused spans are stored on their retry.
    const retry = await post(refusedBody)
    expect(retry.status).toBe(200)
    expect(await storedSpans(refusedTrace)).toBe(1)
  })
})
