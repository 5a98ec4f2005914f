import { startReplayServer } from '@agentmeter/replay'
import { init, task, tool, type AgentmeterHandle } from '@agentmeter/sdk'
import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createOtlpJsonBody, toUnixNano } from './support/otlp-json'
import { createTestCollector, type TestCollector } from './support/test-collector'

/**
 * Content capture end to end: off for a project until its admin turns it on; when on, the real
 * SDK (content capture and a mask hook) sends prompts and completions from a real OpenAI client,
 * and the collector redacts keys, emails, card numbers and the project's own patterns before
 * storing them. Every log line of the run is captured at debug level: none carries a key, a
 * prompt or a completion.
 */
const ADMIN_TOKEN = 'content-safety-admin-token-0123456789'
const EMAIL = 'ottoline.vexworth@example.com'
const CARD = '4111 1111 1111 1111'
const PROVIDER_KEY = 'sk-proj-Zq8fT2mXw9LkPa7rVb3n'
const ORDER = 'zebra-quartz-4471'
const CUSTOMER = 'Ottoline Vexworth'
const PROMPT = `Refund order ${ORDER} for ${CUSTOMER} <${EMAIL}>, card ${CARD}, key ${PROVIDER_KEY}`
const WRONG_KEY = 'am_wrong_key_that_must_never_be_logged_0001'

const logLines: string[] = []
let collector: TestCollector
let replay: Awaited<ReturnType<typeof startReplayServer>>
let sdk: AgentmeterHandle
let readKey = ''
let completionText = ''

async function call(key: string, method: string, route: string, body?: unknown) {
  const response = await fetch(`${collector.url}${route}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

async function storedAttributes(taskName: string): Promise<Record<string, string>[]> {
  const result = await collector.client.query({
    query: `SELECT attributes FROM spans FINAL WHERE task_name = {taskName:String}
      ORDER BY start_time`,
    query_params: { taskName },
    format: 'JSONEachRow',
  })
  return (await result.json<{ attributes: Record<string, string> }>()).map((row) => row.attributes)
}

/** A span as another instrumentation sends it, with OpenInference content attributes. */
function contentSpanBody(taskName: string, traceId: string): string {
  const start = new Date(Date.now() - 60_000)
  return createOtlpJsonBody([
    {
      traceId,
      spanId: traceId.slice(0, 16),
      name: 'ChatCompletion',
      startTimeUnixNano: toUnixNano(start),
      endTimeUnixNano: toUnixNano(new Date(start.getTime() + 500)),
      attributes: {
        'agentmeter.task.name': taskName,
        'openinference.span.kind': 'LLM',
        'llm.model_name': 'gpt-4o',
        'input.value': PROMPT,
        'output.value': `Done for ${EMAIL}`,
      },
    },
  ])
}

beforeAll(async () => {
  collector = await createTestCollector({ env: { AGENTMETER_ADMIN_TOKEN: ADMIN_TOKEN }, logLines })
  const created = await call(ADMIN_TOKEN, 'POST', '/api/v1/admin/keys', {
    project: 'test-project',
    scopes: ['read'],
  })
  readKey = created.body.key as string
  replay = await startReplayServer()
  sdk = init({
    endpoint: collector.url,
    apiKey: collector.apiKey,
    exportIntervalMillis: 50,
    captureContent: true,
    // The app's own masking, before anything leaves the process.
    mask: (value) => value.replaceAll(CUSTOMER, '<customer>'),
  })
}, 60_000)

afterAll(async () => {
  await sdk?.shutdown()
  await replay?.close()
  await collector?.close()
})

describe('content capture', () => {
  it('should store no content for a project that has not opted in', async () => {
    const response = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
      body: contentSpanBody('before-opt-in', 'c1'.repeat(16)),
    })
    expect(response.status).toBe(200)
    const [attributes] = await storedAttributes('before-opt-in')
    expect(attributes).toEqual({
      'agentmeter.task.name': 'before-opt-in',
      'openinference.span.kind': 'LLM',
      'llm.model_name': 'gpt-4o',
    })
  })

  it('should take the settings from an admin key only, and validate the rules', async () => {
    expect(await call(readKey, 'GET', '/api/v1/settings')).toEqual({
      status: 200,
      body: { settings: { captureContent: false, redactionRules: [] } },
    })
    const refused = await call(readKey, 'PUT', '/api/v1/settings', { captureContent: true })
    expect(refused).toEqual({
      status: 403,
      body: { error: 'this key lacks the admin scope (it has: read)' },
    })
    const invalid = await call(collector.apiKey, 'PUT', '/api/v1/settings', {
      captureContent: true,
      redactionRules: [{ name: 'order', pattern: 'zebra-(' }],
    })
    expect(invalid.status).toBe(400)
    expect(invalid.body.error).toMatch(/^redactionRules\[0\]\.pattern is not a valid regular/)

    const rules = [{ name: 'order-id', pattern: String.raw`zebra-quartz-\d+` }]
    expect(
      await call(collector.apiKey, 'PUT', '/api/v1/settings', {
        captureContent: true,
        redactionRules: rules,
      }),
    ).toEqual({ status: 200, body: { settings: { captureContent: true, redactionRules: rules } } })
  })

  it('should store captured content with keys, emails, cards and custom patterns redacted', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: replay.openaiBaseURL, maxRetries: 0 })
    await task('refund', async () => {
      const completion = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: PROMPT }],
      })
      completionText = completion.choices[0]?.message.content ?? ''
      await tool('lookup_order', { order: ORDER, email: EMAIL }, () => `shipped to ${CUSTOMER}`)
    })
    await sdk.forceFlush()
    const rows = await storedAttributes('refund')
    const llm = rows.find((row) => row['gen_ai.operation.name'] === 'chat')!
    const toolRow = rows.find((row) => row['gen_ai.operation.name'] === 'execute_tool')!
    expect(JSON.parse(llm['gen_ai.input.messages']!)).toEqual([
      {
        role: 'user',
        content:
          'Refund order [REDACTED:order-id] for <customer> <[REDACTED:email]>, card [REDACTED:card-number], key [REDACTED:api-key]',
      },
    ])
    expect(llm['gen_ai.output.messages']).toContain(completionText.slice(0, 20))
    expect(toolRow['gen_ai.tool.call.arguments']).toBe(
      '{"order":"[REDACTED:order-id]","email":"[REDACTED:email]"}',
    )
    expect(toolRow['gen_ai.tool.call.result']).toBe('shipped to <customer>')

    // The dashboard's content route serves what was stored, redacted, to a read key.
    const [taskRow] = await collector.client
      .query({
        query: `SELECT task_id, span_id FROM spans FINAL
          WHERE task_name = 'refund' AND attributes['gen_ai.operation.name'] = 'execute_tool'`,
        format: 'JSONEachRow',
      })
      .then((result) => result.json<{ task_id: string; span_id: string }>())
    const content = await call(
      readKey,
      'GET',
      `/api/v1/tasks/${taskRow!.task_id}/spans/${taskRow!.span_id}/content`,
    )
    expect(content.status).toBe(200)
    expect(content.body.captureContent).toBe(true)
    expect(content.body.content).toEqual([
      {
        key: 'gen_ai.tool.call.arguments',
        value: '{"order":"[REDACTED:order-id]","email":"[REDACTED:email]"}',
      },
      { key: 'gen_ai.tool.call.result', value: 'shipped to <customer>' },
    ])

    // Another instrumentation's content is redacted the same way.
    const response = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
      body: contentSpanBody('after-opt-in', 'c2'.repeat(16)),
    })
    expect(response.status).toBe(200)
    const [other] = await storedAttributes('after-opt-in')
    expect(other!['output.value']).toBe('Done for [REDACTED:email]')
    expect(other!['input.value']).not.toContain(EMAIL)
  })

  it('should write no key, prompt or completion to any log line', async () => {
    // Failures that log: a wrong key, a malformed body, a rejected span that holds content.
    expect((await call(WRONG_KEY, 'GET', '/api/v1/tasks')).status).toBe(401)
    const bad = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${WRONG_KEY}`, 'content-type': 'application/json' },
      body: '{"resourceSpans": [',
    })
    expect(bad.status).toBe(401)
    const rejected = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
      body: contentSpanBody('rejected', 'short'),
    })
    expect(await rejected.json()).toMatchObject({ partialSuccess: { rejectedSpans: '1' } })
    // And an outage: the insert fails, the batch goes to the spool and is replayed.
    await collector.client.command({ query: 'DETACH TABLE spans' })
    const spooled = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { authorization: `Bearer ${collector.apiKey}`, 'content-type': 'application/json' },
      body: contentSpanBody('spooled', 'c3'.repeat(16)),
    })
    expect(spooled.status).toBe(200)
    await new Promise((resolve) => setTimeout(resolve, 700))
    await collector.client.command({ query: 'ATTACH TABLE spans' })
    const deadline = Date.now() + 20_000
    while ((await storedAttributes('spooled')).length === 0) {
      if (Date.now() > deadline) throw new Error('the spooled batch was not replayed')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    expect(logLines.some((line) => line.includes('insert failed; spooling the batch'))).toBe(true)
    expect(logLines.some((line) => line.includes('replay failed; retrying'))).toBe(true)

    // A dashboard session: its token is a credential as well.
    const signIn = await fetch(`${collector.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: readKey }),
    })
    const sessionToken = /agentmeter_session=([^;]+)/.exec(signIn.headers.get('set-cookie')!)![1]!
    const viaSession = await fetch(`${collector.url}/api/v1/tasks?name=${CUSTOMER}`, {
      headers: { cookie: `agentmeter_session=${sessionToken}` },
    })
    expect(viaSession.status).toBe(200)

    expect(logLines.length).toBeGreaterThan(3)
    if (process.env.AGENTMETER_TEST_REPORT === '1') console.warn(logLines.join('\n'))
    expect(completionText.length).toBeGreaterThan(10)
    const secrets = [
      collector.apiKey,
      readKey,
      WRONG_KEY,
      ADMIN_TOKEN,
      PROVIDER_KEY,
      EMAIL,
      CUSTOMER,
      ORDER,
      CARD,
      completionText.slice(0, 24),
      sessionToken,
    ]
    for (const line of logLines) {
      for (const secret of secrets)
        expect(line.includes(secret), `${secret} in ${line}`).toBe(false)
    }
  })
})
