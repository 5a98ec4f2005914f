import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifySignature } from '@agentmeter/collector'
import { createTestCollector, type TestCollector } from './support/test-collector'
import { createTestWebhookReceiver, type WebhookReceiver } from './support/webhook-receiver'

const run = promisify(execFile)
const CLI = path.resolve(import.meta.dirname, '../apps/collector/src/cli/main.ts')
const TSX = createRequire(
  path.resolve(import.meta.dirname, '../apps/collector/package.json'),
).resolve('tsx/cli')

let collector: TestCollector
let receiver: WebhookReceiver

beforeAll(async () => {
  receiver = await createTestWebhookReceiver()
  collector = await createTestCollector({ env: { AGENTMETER_ALLOW_PRIVATE_WEBHOOKS: '1' } })
})

afterAll(async () => {
  await collector?.close()
  await receiver?.close()
})

function alerts(args: string[]) {
  return run(
    process.execPath,
    [TSX, CLI, 'alerts', ...args, '--endpoint', collector.url, '--key', collector.apiKey],
    { env: { ...process.env, AGENTMETER_LOG_LEVEL: 'silent' } },
  )
}

describe('agentmeter alerts', () => {
  it('should create, test-send, disable and delete a rule through the running collector', async () => {
    const created = await alerts([
      'create',
      '--name',
      'cli rule',
      '--type',
      'task_cost',
      '--threshold',
      '0.5',
      '--url',
      `${receiver.url}/cli`,
      '--tag',
      'team=support',
      '--json',
    ])
    const { rule, secret } = JSON.parse(created.stdout) as {
      rule: { id: string; thresholdUsd: number; tags: Record<string, string> }
      secret: string
    }
    expect(rule).toMatchObject({ thresholdUsd: 0.5, tags: { team: 'support' } })

    const tested = await alerts(['test', 'cli rule'])
    expect(tested.stdout.trim()).toBe(
      'test notification delivered to the webhook of cli rule (1 attempt(s))',
    )
    const [delivery] = receiver.accepted('/cli')
    const timestamp = Number(delivery!.headers['x-agentmeter-timestamp'])
    expect(
      verifySignature(
        secret,
        timestamp,
        delivery!.body,
        String(delivery!.headers['x-agentmeter-signature']),
      ),
    ).toBe(true)
    expect(JSON.parse(delivery!.body)).toMatchObject({ kind: 'test', rule: { id: rule.id } })

    const disabled = await alerts(['disable', rule.id])
    expect(disabled.stdout.trim()).toBe(
      `${rule.id}  cli rule  task_cost > $0.5  webhook  ok (disabled)`,
    )

    const events = await alerts(['events', '--rule', 'cli rule'])
    expect(events.stdout).toContain(
      'test     delivered  cli rule: Test notification, sample figures: task test-task',
    )

    const deleted = await alerts(['delete', 'cli rule'])
    expect(deleted.stdout.trim()).toBe(`deleted cli rule (${rule.id})`)
    expect((await alerts(['list'])).stdout).not.toContain(rule.id)
  })

  it('should exit 1 naming the failure, without retrying, when the receiver refuses with a 4xx', async () => {
    await alerts([
      'create',
      '--name',
      'refused',
      '--type',
      'task_cost',
      '--threshold',
      '1',
      '--url',
      `${receiver.url}/refused`,
    ])
    receiver.failNext('/refused', 100, 410)
    const error = await alerts(['test', 'refused']).catch(
      (err: { code: number; stderr: string }) => err,
    )
    expect(error).toMatchObject({ code: 1 })
    expect((error as { stderr: string }).stderr.trim()).toBe(
      'test notification not delivered after 1 attempt(s): the receiver answered 410',
    )
  })

  it('should say how to start a collector when none answers', async () => {
    const error = await run(
      process.execPath,
      [TSX, CLI, 'alerts', 'list', '--endpoint', 'http://127.0.0.1:9', '--key', 'am_x'],
      { env: { ...process.env, AGENTMETER_LOG_LEVEL: 'silent' } },
    ).catch((err: { code: number; stderr: string }) => err)
    expect(error).toMatchObject({ code: 1 })
    expect((error as { stderr: string }).stderr).toContain(
      'no collector answered at http://127.0.0.1:9; alert rules live in a running collector\'s store: start one with "pnpm agentmeter start"',
    )
  })
})
