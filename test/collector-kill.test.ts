import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createLogger, loadConfig, startCollector } from '@agentmeter/collector'
import { afterAll, describe, expect, it } from 'vitest'
import { createOtlpJsonBody, toUnixNano } from './support/otlp-json'
import { expectAcknowledgedOnce } from './support/acknowledged-spans'

/**
 * The collector is a child process (the CLI entry, `agentmeter start`, through tsx's loader) on a temporary data directory. Several clients keep sending while it is killed with
 * SIGKILL; on restart against the same directory, every span that got a 200 is there, once.
 */
const ROOT = path.resolve(import.meta.dirname, '..')
const API_KEY = 'am_kill_test_key_0123456789abcdef'
const SPANS_PER_BATCH = 50
const SENDERS = 4

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'agentmeter-kill-'))
let child: ChildProcess | undefined

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL')
  fs.rmSync(dataDir, { recursive: true, force: true })
})

function startChild(): Promise<{ process: ChildProcess; url: string }> {
  // `node --import tsx` rather than the tsx binary, which would run the collector in a child
  // process of its own that a SIGKILL of the binary leaves running.
  const processHandle = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'apps/collector/src/cli/main.ts',
      'start',
      '--port',
      '0',
      '--data',
      dataDir,
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        AGENTMETER_INIT_PROJECT: 'kill-test',
        AGENTMETER_INIT_API_KEY: API_KEY,
        AGENTMETER_LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`collector did not start: ${output}`)), 60_000)
    processHandle.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const match = /listening on (http:\/\/\S+) /.exec(output)
      if (match) {
        clearTimeout(timer)
        resolve({ process: processHandle, url: match[1]! })
      }
    })
    processHandle.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()))
    processHandle.once('exit', (code) => reject(new Error(`collector exited (${code}): ${output}`)))
  })
}

function batchBody(traceId: string): string {
  const start = Date.now() - 30_000
  return createOtlpJsonBody(
    Array.from({ length: SPANS_PER_BATCH }, (_, i) => ({
      traceId,
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: 'chat gpt-4o',
      startTimeUnixNano: toUnixNano(new Date(start + i)),
      endTimeUnixNano: toUnixNano(new Date(start + i + 5)),
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o',
        'gen_ai.usage.input_tokens': 1200,
        'gen_ai.usage.output_tokens': 80,
      },
    })),
  )
}

describe('kill -9 of the collector during sustained ingest', () => {
  it('should keep every acknowledged span, exactly once, after a restart', async () => {
    const running = await startChild()
    child = running.process
    const acknowledged: string[] = []
    let sent = 0
    let stop = false

    const sender = async (lane: number) => {
      for (let n = 0; !stop; n += 1) {
        const traceId = `${(lane + 1).toString(16).padStart(2, '0')}${n.toString(16).padStart(30, '0')}`
        sent += 1
        try {
          const response = await fetch(`${running.url}/v1/traces`, {
            method: 'POST',
            headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
            body: batchBody(traceId),
          })
          await response.arrayBuffer()
          if (response.status === 200) acknowledged.push(traceId)
        } catch {
          // The connection died with the process: this batch was never acknowledged.
          return
        }
      }
    }
    const senders = Array.from({ length: SENDERS }, (_, lane) => sender(lane))

    // Kill once ingest is well under way, in the middle of whatever insert is running.
    while (acknowledged.length < 100) await new Promise((resolve) => setTimeout(resolve, 20))
    child.kill('SIGKILL')
    const exited = await new Promise<NodeJS.Signals | null>((resolve) =>
      child!.once('exit', (_code, signal) => resolve(signal)),
    )
    stop = true
    await Promise.all(senders)
    expect(exited).toBe('SIGKILL')
    expect(sent).toBeGreaterThan(acknowledged.length)
    if (process.env.AGENTMETER_TEST_REPORT === '1')
      console.warn({ sent, acknowledged: acknowledged.length })

    // Restart against the same data directory (the embedded engine and the spool in it).
    const restarted = await startCollector(
      loadConfig({
        AGENTMETER_PORT: '0',
        AGENTMETER_DATA_DIR: dataDir,
        AGENTMETER_INIT_PROJECT: 'kill-test',
        AGENTMETER_INIT_API_KEY: API_KEY,
      }),
      createLogger('silent'),
    )
    try {
      await expectAcknowledgedOnce(restarted, API_KEY, acknowledged, SPANS_PER_BATCH)
    } finally {
      await restarted.close()
    }
  })
})
