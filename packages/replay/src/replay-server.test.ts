import { readFileSync } from 'node:fs'
import { request } from 'node:http'

import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { resolveRecording } from './recordings'
import { startReplayServer } from './replay-server'
import type { ReplayServer } from './replay-server'

let server: ReplayServer
let openai: OpenAI
let anthropic: Anthropic

beforeEach(async () => {
  server = await startReplayServer()
  openai = new OpenAI({ apiKey: 'sk-replay', baseURL: server.openaiBaseURL, maxRetries: 0 })
  anthropic = new Anthropic({
    apiKey: 'sk-replay',
    baseURL: server.anthropicBaseURL,
    maxRetries: 0,
  })
})

afterEach(() => server.close())

const messages = [{ role: 'user' as const, content: 'Hi' }]

/** Raw chunks of one POST, as the socket delivered them. */
function postRaw(url: string, body: string): Promise<{ status: number; chunks: Buffer[] }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } })
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, chunks }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('startReplayServer', () => {
  it('should listen on 127.0.0.1 and derive both base URLs', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.openaiBaseURL).toBe(`${server.url}/v1`)
    expect(server.anthropicBaseURL).toBe(server.url)
  })

  it('should refuse a host that is not loopback', async () => {
    await expect(startReplayServer({ host: '0.0.0.0' })).rejects.toThrow(
      'replay server host "0.0.0.0" refused: expected 127.0.0.1, ::1 or localhost',
    )
  })

  it('should record the method, path and parsed body of every request', async () => {
    await openai.chat.completions.create({ model: 'gpt-4o', messages })
    await anthropic.messages.create({ model: 'claude-haiku-4-5', max_tokens: 16, messages })

    expect(server.requests).toEqual([
      { method: 'POST', path: '/v1/chat/completions', body: { model: 'gpt-4o', messages } },
      {
        method: 'POST',
        path: '/v1/messages',
        body: { model: 'claude-haiku-4-5', max_tokens: 16, messages },
      },
    ])
  })

  it('should serve queued recordings first in, first out, then synthesize', async () => {
    server.enqueue('openai-chat-basic.json')
    server.enqueue('openai-chat-tool-calls-parallel.json')

    const first = await openai.chat.completions.create({ model: 'gpt-4o', messages })
    const second = await openai.chat.completions.create({ model: 'gpt-4o', messages })
    const third = await openai.chat.completions.create({ model: 'gpt-4o', messages })

    expect(first.id).toBe('chatcmpl-Bs24CNH3ITxv65qJpGjVXijYv6qX2')
    expect(second.id).toBe('chatcmpl-BuC0QNgPhzfHw7tSwGnvSOIL636JK')
    expect(third.model).toBe('gpt-4o')
    expect(third.id.startsWith('chatcmpl-replay')).toBe(true)
  })

  it('should throw when enqueuing a recording that does not exist', () => {
    expect(() => server.enqueue('openai-chat-missing.json')).toThrow(
      'unknown recording "openai-chat-missing.json"',
    )
  })

  it('should answer a queued recording with the status it was queued with', async () => {
    server.enqueue('openai-chat-basic.json', { status: 429 })

    await expect(
      openai.chat.completions.create({ model: 'gpt-4o', messages }),
    ).rejects.toMatchObject({
      status: 429,
    })
  })

  it('should send an event stream in more than one write', async () => {
    server.enqueue('anthropic-messages-stream.sse')

    const { status, chunks } = await postRaw(`${server.url}/v1/messages`, '{}')

    expect(status).toBe(200)
    expect(chunks.length).toBeGreaterThan(1)
    expect(Buffer.concat(chunks)).toEqual(
      readFileSync(resolveRecording('anthropic-messages-stream.sse')),
    )
  })

  it('should break a stream after destroyAfterBytes bytes', async () => {
    server.enqueue('anthropic-messages-stream.sse', { destroyAfterBytes: 2000 })
    const events: string[] = []

    const read = async () => {
      const stream = await anthropic.messages.create({
        model: 'claude-3-opus-20240229',
        max_tokens: 64,
        messages,
        stream: true,
      })
      for await (const event of stream) events.push(event.type)
    }

    await expect(read()).rejects.toThrow()
    expect(events[0]).toBe('message_start')
    expect(events).not.toContain('message_stop')
  })

  it('should break a JSON body after destroyAfterBytes bytes', async () => {
    server.enqueue('openai-chat-basic.json', { destroyAfterBytes: 100 })

    await expect(openai.chat.completions.create({ model: 'gpt-4o', messages })).rejects.toThrow()
  })

  it('should answer 404 on a route it cannot synthesize', async () => {
    const reply = await fetch(`${server.url}/v1/embeddings`, { method: 'POST', body: '{}' })

    expect(reply.status).toBe(404)
    expect(await reply.json()).toEqual({
      type: 'error',
      error: {
        type: 'not_found_error',
        message: 'replay server has no recording queued and no route for POST /v1/embeddings',
      },
    })
  })

  it('should answer 400 when the body is not a JSON object', async () => {
    const reply = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: 'hi' })

    expect(reply.status).toBe(400)
    expect(server.requests).toEqual([{ method: 'POST', path: '/v1/chat/completions', body: 'hi' }])
  })
})
