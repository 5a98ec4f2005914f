import { deriveHashKey, fingerprintRequest } from '@agentmeter/core'
import { startReplayServer } from '@agentmeter/replay'
import { init, task, tool, type AgentmeterHandle } from '@agentmeter/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Our SDK with content capture off, a real OpenAI client against the replay server and a real
 * collector: the prompt, the completion and the tool's arguments and result must not reach the
 * collector or ClickHouse, while the keyed fingerprints do, equal to what core computes with the
 * key derived from the project's API key (so every process of the project hashes alike).
 */
const PROMPT = 'Refund order zebra-quartz-4471 for customer Ottoline Vexworth please'
const TOOL_ARGS = { orderId: 'zebra-quartz-4471-secret' }
const TOOL_RESULT = 'order zebra-quartz-4471 status: shipped to 12 Quillfeather Lane'

let collector: TestCollector
let replay: Awaited<ReturnType<typeof startReplayServer>>
let sdk: AgentmeterHandle
let completionText = ''
let rows: Array<Record<string, unknown>> = []

beforeAll(async () => {
  collector = await createTestCollector()
  replay = await startReplayServer()
  sdk = init({ endpoint: collector.url, apiKey: collector.apiKey, exportIntervalMillis: 50 })
  const client = new OpenAI({ apiKey: 'sk-test', baseURL: replay.openaiBaseURL, maxRetries: 0 })
  await task('refund', async () => {
    for (let i = 0; i < 2; i++) {
      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        temperature: 0,
        messages: [{ role: 'user', content: PROMPT }],
      })
      completionText = completion.choices[0]?.message.content ?? ''
      await tool('lookup_order', TOOL_ARGS, () => TOOL_RESULT)
    }
  })
  await sdk.forceFlush()
  const result = await collector.client.query({
    query: `SELECT *, toString(request_hash) AS request_hash_text,
        toString(response_hash) AS response_hash_text, toString(tool_args_hash) AS args_text,
        toString(tool_result_hash) AS result_text,
        arrayMap(h -> toString(h), prefix_hashes) AS prefix_text
      FROM spans FINAL WHERE task_name = 'refund' ORDER BY start_time`,
    // UInt64 hashes exceed a double's precision, so they are compared as text.
    clickhouse_settings: { output_format_json_quote_64bit_integers: 1 },
    format: 'JSONEachRow',
  })
  rows = await result.json<Record<string, unknown>>()
}, 60_000)

afterAll(async () => {
  await sdk?.shutdown()
  await replay?.close()
  await collector?.close()
})

describe('fingerprints with content capture off', () => {
  it('should store no prompt, completion, tool argument or result text', () => {
    expect(rows.length).toBe(5)
    expect(completionText.length).toBeGreaterThan(10)
    const stored = JSON.stringify(rows)
    for (const secret of [PROMPT, completionText, 'zebra-quartz', 'Ottoline', 'Quillfeather']) {
      expect(stored.includes(secret), secret).toBe(false)
    }
  })

  it('should store the request hash core computes with the key derived from the API key', () => {
    const key = deriveHashKey({ apiKey: collector.apiKey })!
    const expected = fingerprintRequest(key, {
      model: 'gpt-4o-mini',
      params: { temperature: 0 },
      messages: [{ role: 'user', content: PROMPT }],
    })
    const calls = rows.filter((row) => row['kind'] === 'llm')
    expect(calls).toHaveLength(2)
    for (const call of calls) {
      expect(call['request_hash_text']).toBe(BigInt(`0x${expected.requestHash}`).toString())
      expect(call['prefix_text']).toEqual(
        expected.prefixHashes.map((hash) => BigInt(`0x${hash}`).toString()),
      )
      expect(call['prefix_tokens']).toEqual([String(call['input_tokens'])])
      expect(call['response_hash_text']).not.toBe('0')
    }
    const tools = rows.filter((row) => row['kind'] === 'tool')
    expect(tools).toHaveLength(2)
    expect(tools[0]!['args_text']).toBe(tools[1]!['args_text'])
    expect(tools[0]!['result_text']).not.toBe('0')
  })

  it('should never match hashes made under another project key', () => {
    const mine = deriveHashKey({ apiKey: collector.apiKey })!
    const theirs = deriveHashKey({ apiKey: `${collector.apiKey}-other-project` })!
    const request = {
      model: 'gpt-4o-mini',
      params: { temperature: 0 },
      messages: [{ role: 'user', content: PROMPT }],
    }
    const a = fingerprintRequest(mine, request)
    const b = fingerprintRequest(theirs, request)
    expect(b.requestHash).not.toBe(a.requestHash)
    expect(b.prefixHashes.some((hash) => a.prefixHashes.includes(hash))).toBe(false)
  })
})

describe('hotspots from the SDK spans', () => {
  it('should report the repeated call and the repeated tool call', async () => {
    const { body } = await collector.api<{
      hotspots: Array<{ cause: string; occurrences: number }>
    }>(`/api/v1/hotspots?from=2020-01-01T00:00:00Z`)
    const causes = body.hotspots.map((hotspot) => `${hotspot.cause}:${hotspot.occurrences}`)
    expect(causes).toContain('duplicate_llm_call:1')
    expect(causes).toContain('repeated_tool_call:1')
  })
})
