import { execFile, spawn } from 'node:child_process'
import fs from 'node:fs'
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOtlpJsonBody, type JsonSpanInput, postSpans, toUnixNano } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

const run = promisify(execFile)
const CLI = path.resolve(import.meta.dirname, '../apps/collector/src/cli/main.ts')
const TSX = createRequire(
  path.resolve(import.meta.dirname, '../apps/collector/package.json'),
).resolve('tsx/cli')

function agentmeter(args: string[], env: Record<string, string> = {}) {
  return run(process.execPath, [TSX, CLI, ...args], {
    env: { ...process.env, AGENTMETER_LOG_LEVEL: 'silent', ...env },
  })
}

const BEFORE = new Date('2026-10-01T12:00:00.000Z')
const AFTER = new Date('2026-11-15T12:00:00.000Z')
const EFFECTIVE = '2026-11-01T00:00:00.000Z'
const RANGE = { from: '2026-09-01T00:00:00.000Z', to: '2026-12-01T00:00:00.000Z' }
const QUERY = `from=${RANGE.from}&to=${RANGE.to}`

function llmSpan(traceId: string, spanId: string, model: string, at: Date): JsonSpanInput {
  return {
    traceId,
    spanId,
    name: `chat ${model}`,
    startTimeUnixNano: toUnixNano(at),
    endTimeUnixNano: toUnixNano(new Date(at.getTime() + 800)),
    attributes: {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': model.startsWith('acme') ? 'acme' : 'openai',
      'gen_ai.request.model': model,
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 500,
    },
  }
}

function toolSpan(traceId: string, spanId: string, at: Date, appCostUsd?: number): JsonSpanInput {
  return {
    traceId,
    spanId,
    name: 'execute_tool web_search',
    startTimeUnixNano: toUnixNano(at),
    endTimeUnixNano: toUnixNano(new Date(at.getTime() + 300)),
    attributes: {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'web_search',
      ...(appCostUsd === undefined ? {} : { 'agentmeter.tool.cost.usd': appCostUsd }),
    },
  }
}

const T_BEFORE = '1a'.repeat(16)
const T_AFTER = '2b'.repeat(16)

interface Detail {
  task: { costUsd: number | null; unpricedCalls: number }
  spans: Array<{
    spanId: string
    priced: boolean
    costUsd: number | null
    priceSource: string
    priceReason: string
  }>
}

let collector: TestCollector

/** One OTLP/JSON request of these spans, acknowledged. */
const post = (spans: JsonSpanInput[]) =>
  postSpans(collector.url, collector.apiKey, spans, Number.POSITIVE_INFINITY)

async function send<T>(method: string, pathName: string, body: unknown) {
  const response = await fetch(`${collector.url}${pathName}`, {
    method,
    headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as T }
}

async function spans(traceId: string): Promise<Map<string, Detail['spans'][number]>> {
  const { body } = await collector.api<Detail>(`/api/v1/tasks/${traceId}?${QUERY}`)
  return new Map(body.spans.map((span) => [span.spanId, span]))
}

beforeAll(async () => {
  collector = await createTestCollector()
  await post([
    llmSpan(T_BEFORE, 'a000000000000001', 'acme-9000', BEFORE),
    llmSpan(T_BEFORE, 'a000000000000002', 'gpt-4o', BEFORE),
    toolSpan(T_BEFORE, 'a000000000000003', BEFORE),
    llmSpan(T_AFTER, 'b000000000000001', 'acme-9000', AFTER),
    llmSpan(T_AFTER, 'b000000000000002', 'gpt-4o', AFTER),
    toolSpan(T_AFTER, 'b000000000000003', AFTER),
    toolSpan(T_AFTER, 'b000000000000004', AFTER, 0.02),
  ])
})

afterAll(async () => {
  await collector?.close()
})

describe('unpriced calls', () => {
  it('should list the model nobody prices with its share of calls', async () => {
    const { status, body } = await collector.api(`/api/v1/unpriced?${QUERY}`)
    expect(status).toBe(200)
    expect(body).toMatchObject({
      totalCalls: 4,
      unpricedCalls: 2,
      unpricedShare: 0.5,
      models: [
        {
          provider: 'acme',
          model: 'acme-9000',
          calls: 2,
          share: 0.5,
          reason: 'model not in price catalog: acme-9000',
        },
      ],
    })
  })

  it('should show the unpriced call on its task instead of counting it as $0', async () => {
    const { body } = await collector.api<Detail>(`/api/v1/tasks/${T_BEFORE}?${QUERY}`)
    // Only gpt-4o is priced: 1000 × 2.50 + 500 × 10 per million; the acme call is shown apart.
    expect(body.task.unpricedCalls).toBe(1)
    expect(Math.abs(body.task.costUsd! - 0.0075)).toBeLessThan(1e-12)
    const acme = body.spans.find((span) => span.spanId === 'a000000000000001')
    expect(acme).toMatchObject({ priced: false, costUsd: null })
  })
})

describe('custom prices and reprice', () => {
  it('should refuse a price without an input price, naming the field', async () => {
    const { status, body } = await send<{ error: string }>('POST', '/api/v1/prices', {
      model: 'acme-9000',
      outputMtok: '8',
    })
    expect(status).toBe(400)
    expect(body.error).toBe('inputMtok is required (USD as a decimal, e.g. "2.5")')
  })

  it('should add prices through the CLI, which goes through the running collector', async () => {
    const env = { AGENTMETER_PORT: String(collector.port), AGENTMETER_API_KEY: collector.apiKey }
    const base = ['--data', collector.dataDir, '--json']
    const added = await agentmeter(
      [
        'prices',
        'add',
        '--model',
        'acme-9000',
        '--input',
        '2',
        '--output',
        '8',
        '--effective-from',
        EFFECTIVE,
        ...base,
      ],
      env,
    )
    expect(JSON.parse(added.stdout)).toMatchObject({
      price: {
        kind: 'model',
        name: 'acme-9000',
        inputMtok: '2.000000000000',
        effectiveFrom: EFFECTIVE,
      },
    })
    await agentmeter(
      [
        'prices',
        'add',
        '--model',
        'gpt-4o',
        '--provider',
        'openai',
        '--input',
        '1',
        '--output',
        '4',
        '--effective-from',
        EFFECTIVE,
        ...base,
      ],
      env,
    )
    await agentmeter(
      [
        'prices',
        'add',
        '--kind',
        'tool',
        '--tool',
        'web_search',
        '--per-call',
        '0.005',
        '--effective-from',
        EFFECTIVE,
        ...base,
      ],
      env,
    )
    const listed = await agentmeter(['prices', 'list', ...base], env)
    const prices = (JSON.parse(listed.stdout) as { prices: Array<{ kind: string; name: string }> })
      .prices
    expect(prices.map((entry) => `${entry.kind}:${entry.name}`).sort()).toEqual([
      'model:acme-9000',
      'model:gpt-4o',
      'tool:web_search',
    ])
    // Read by a person: the stored Decimal(38, 12) digits as written.
    const text = (await agentmeter(['prices', 'list', '--data', collector.dataDir], env)).stdout
    expect(text).toContain('model openai/gpt-4o  in $1/M  out $4/M  from ')
    expect(text).toContain('tool web_search  $0.005/call  from ')
  })

  it('should leave stored costs alone until reprice', async () => {
    const after = await spans(T_AFTER)
    expect(after.get('b000000000000001')).toMatchObject({ priced: false })
    expect(after.get('b000000000000002')!.costUsd).toBeCloseTo(0.0075, 12)
  })

  it('should reprice spans from the effective date on and leave earlier ones alone', async () => {
    const { status, body } = await send('POST', '/api/v1/reprice', RANGE)
    expect(status).toBe(200)
    // 7 spans in range; changed: acme and gpt-4o after the date, and the unpriced tool call.
    expect(body).toEqual({ scanned: 7, changed: 3 })

    const after = await spans(T_AFTER)
    // acme-9000 at the custom $2 / $8: 1000 × 2 + 500 × 8 per million
    expect(after.get('b000000000000001')).toMatchObject({ priced: true, priceSource: 'custom' })
    expect(Math.abs(after.get('b000000000000001')!.costUsd! - 0.006)).toBeLessThan(1e-12)
    // gpt-4o at the custom $1 / $4 instead of the catalog: 1000 × 1 + 500 × 4
    expect(after.get('b000000000000002')).toMatchObject({ priced: true, priceSource: 'custom' })
    expect(Math.abs(after.get('b000000000000002')!.costUsd! - 0.003)).toBeLessThan(1e-12)
    // The tool call at $0.005; the one whose fee the app reported keeps its $0.02.
    expect(after.get('b000000000000003')!.costUsd).toBe(0.005)
    expect(after.get('b000000000000004')!.costUsd).toBe(0.02)
    const { body: task } = await collector.api<Detail>(`/api/v1/tasks/${T_AFTER}?${QUERY}`)
    expect(Math.abs(task.task.costUsd! - (0.006 + 0.003 + 0.005 + 0.02))).toBeLessThan(1e-12)
    expect(task.task.unpricedCalls).toBe(0)

    const before = await spans(T_BEFORE)
    expect(before.get('a000000000000001')).toMatchObject({ priced: false, costUsd: null })
    expect(before.get('a000000000000002')).toMatchObject({ priceSource: 'computed' })
    expect(before.get('a000000000000002')!.costUsd).toBeCloseTo(0.0075, 12)
    expect(before.get('a000000000000003')!.costUsd).toBeNull()

    const { body: unpriced } = await collector.api(`/api/v1/unpriced?${QUERY}`)
    expect(unpriced).toMatchObject({ totalCalls: 4, unpricedCalls: 1, unpricedShare: 0.25 })
  })

  it('should change nothing when run a second time, through the CLI and its progress bar', async () => {
    const { stdout, stderr } = await agentmeter(
      ['reprice', '--from', RANGE.from, '--to', RANGE.to, '--data', collector.dataDir, '--json'],
      { AGENTMETER_PORT: String(collector.port), AGENTMETER_API_KEY: collector.apiKey },
    )
    expect(JSON.parse(stdout)).toMatchObject({ changed: 0 })
    expect(stderr).toMatch(/\[#{30}\] \d+\/\d+ {2}\d+ spans scanned, 0 repriced/)

    const after = await spans(T_AFTER)
    expect(after.size).toBe(4)
    expect(Math.abs(after.get('b000000000000001')!.costUsd! - 0.006)).toBeLessThan(1e-12)
    const { body: task } = await collector.api<Detail>(`/api/v1/tasks/${T_AFTER}?${QUERY}`)
    expect(Math.abs(task.task.costUsd! - 0.034)).toBeLessThan(1e-12)
  })

  it('should reprice only the model asked for', async () => {
    const { body } = await send<{ scanned: number; changed: number }>('POST', '/api/v1/reprice', {
      ...RANGE,
      model: 'gpt-4o',
    })
    expect(body).toEqual({ scanned: 2, changed: 0 })
  })

  it('should refuse reprice without the admin scope', async () => {
    const key = await collector.projects.createKey(
      (await collector.projects.findProjectByName('test-project'))!.id,
      ['read'],
    )
    const response = await fetch(`${collector.url}/api/v1/reprice`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(RANGE),
    })
    expect(response.status).toBe(403)
  })
})

describe('reprice on a store no collector holds', () => {
  it('should open the store directly and be idempotent', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-reprice-'))
    const key = `am_test_direct_${Date.now().toString(36)}`
    // A collector in its own process (the embedded engine allows one data directory per
    // process), fed one span, then stopped so that the CLI can open the store itself.
    const server = spawn(process.execPath, [TSX, CLI, 'start', '--port', '0', '--data', dataDir], {
      env: {
        ...process.env,
        AGENTMETER_LOG_LEVEL: 'silent',
        AGENTMETER_INIT_PROJECT: 'direct-project',
        AGENTMETER_INIT_API_KEY: key,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let output = ''
        server.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString()
          const match = /listening on (http:\/\/\S+) /.exec(output)
          if (match) resolve(match[1]!)
        })
        server.once('exit', (code) => reject(new Error(`collector exited with ${code}`)))
      })
      const response = await fetch(`${url}/v1/traces`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: createOtlpJsonBody([
          llmSpan('3c'.repeat(16), 'c000000000000001', 'acme-9000', AFTER),
        ]),
      })
      expect(response.status).toBe(200)
      const exited = new Promise((resolve) => server.once('exit', resolve))
      server.kill('SIGTERM')
      await exited

      const base = ['--data', dataDir, '--project', 'direct-project', '--json']
      await agentmeter([
        'prices',
        'add',
        '--model',
        'acme-9000',
        '--input',
        '2',
        '--output',
        '8',
        '--effective-from',
        EFFECTIVE,
        ...base,
      ])
      const once = await agentmeter(['reprice', '--from', RANGE.from, '--to', RANGE.to, ...base])
      expect(JSON.parse(once.stdout)).toEqual({ scanned: 1, changed: 1 })
      const twice = await agentmeter(['reprice', '--from', RANGE.from, '--to', RANGE.to, ...base])
      expect(JSON.parse(twice.stdout)).toEqual({ scanned: 1, changed: 0 })
    } finally {
      if (server.exitCode === null) server.kill('SIGTERM')
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
