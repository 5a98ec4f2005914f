import { describe, expect, it } from 'vitest'
import { parseRuleInput } from './rule-input'

const options = { allowPrivateWebhooks: false }
const channel = { type: 'webhook', url: 'https://hooks.example.com/agentmeter' }

function refusal(body: unknown, existing?: Parameters<typeof parseRuleInput>[2]): string {
  try {
    parseRuleInput(body, options, existing)
  } catch (err) {
    return (err as Error).message
  }
  throw new Error('the input was accepted')
}

describe('parseRuleInput', () => {
  it('should fill the defaults of each type and keep the threshold as an exact decimal', () => {
    const budget = parseRuleInput(
      { name: ' team budget ', type: 'spend_budget', thresholdUsd: 0.1, channel },
      options,
    )
    expect(budget).toEqual({
      name: 'team budget',
      type: 'spend_budget',
      taskName: '',
      thresholdUsd: '0.100000000000',
      windowMinutes: 0,
      baselineFactor: null,
      budgetPeriod: 'day',
      forecast: true,
      filters: { environment: '', service: '', tags: {} },
      channel: { type: 'webhook', url: 'https://hooks.example.com/agentmeter' },
      renotifyMinutes: 0,
      notifyOnResolve: true,
      enabled: true,
    })
    const p95 = parseRuleInput(
      { name: 'p95', type: 'task_cost_p95', taskName: 'triage', thresholdUsd: 0, channel },
      options,
    )
    expect([p95.windowMinutes, p95.forecast, p95.budgetPeriod]).toEqual([60, false, ''])
  })

  it('should merge a PATCH over the existing rule and refuse a change of type', () => {
    const existing = parseRuleInput(
      { name: 'a', type: 'task_cost', thresholdUsd: 1, channel },
      options,
    )
    const patched = parseRuleInput({ enabled: false, thresholdUsd: 2.5 }, options, existing)
    expect(patched).toEqual({ ...existing, enabled: false, thresholdUsd: '2.500000000000' })
    expect(refusal({ type: 'spend_budget' }, existing)).toBe(
      'type cannot change (from task_cost to "spend_budget"); create a new rule instead',
    )
  })

  it('should name the field, the value and what was expected in each refusal', () => {
    const base = { name: 'x', type: 'task_cost', thresholdUsd: 1, channel }
    expect([
      refusal({ ...base, name: '' }),
      refusal({ type: 'task_cost', thresholdUsd: 1, channel }),
      refusal({ ...base, thresholdUsd: '1' }),
      refusal({ ...base, type: 'task_cost_p95' }),
      refusal({ ...base, baselineFactor: 2 }),
      refusal({ ...base, type: 'task_cost_p95', taskName: 't', baselineFactor: 0 }),
      refusal({ ...base, type: 'spend_budget', budgetPeriod: 'week' }),
      refusal({ ...base, windowMinutes: 0, type: 'unpriced_spend' }),
      refusal({ ...base, tags: { team: 7 } }),
      refusal({ ...base, channel: { type: 'webhook', url: 'http://169.254.169.254/latest' } }),
      refusal({ ...base, channel: { type: 'webhook', url: 'https://user:pw@hooks.example.com/' } }),
      refusal({ ...base, channel: undefined }),
    ]).toEqual([
      'name must be a non-empty string of at most 200 characters, got ""',
      'name is required: expected a non-empty string',
      'thresholdUsd must be a non-negative number of USD (such as 0.5), got "1"',
      'taskName is required for a task_cost_p95 rule: the task name whose p95 is watched',
      'baselineFactor applies to task_cost_p95 rules only, not task_cost',
      'baselineFactor must be a number above 0 and at most 1000 (such as 1.5), got 0',
      'budgetPeriod must be one of day, month, got "week"',
      'windowMinutes must be an integer from 1 to 44640, got 0',
      'tags.team must be a string attribute value, got 7',
      'channel.url targets 169.254.169.254, a link-local address; webhooks to loopback, private or link-local addresses are refused unless AGENTMETER_ALLOW_PRIVATE_WEBHOOKS=1',
      'channel.url must not carry a user name or password',
      "channel is required: expected { type: 'webhook' | 'slack', url }",
    ])
  })

  it('should accept a loopback target when private webhooks are allowed', () => {
    const rule = parseRuleInput(
      {
        name: 'x',
        type: 'task_cost',
        thresholdUsd: 1,
        channel: { type: 'slack', url: 'http://127.0.0.1:9/x' },
      },
      { allowPrivateWebhooks: true },
    )
    expect(rule.channel).toEqual({ type: 'slack', url: 'http://127.0.0.1:9/x' })
  })
})
