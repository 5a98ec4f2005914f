import { describe, expect, it } from 'vitest'
import type { RuleState } from './state-store'
import { transition } from './transitions'

const now = new Date('2026-12-04T12:00:00Z')
const policy = { renotifyMinutes: 0, notifyOnResolve: true }

function state(name: RuleState['state'], lastNotifiedAt: string | null = null): RuleState {
  return {
    projectId: 'p',
    ruleId: 'r',
    subject: '',
    state: name,
    valueUsd: null,
    since: '2026-12-04T11:00:00.000Z',
    lastNotifiedAt,
    notifications: 1,
  }
}

describe('transition', () => {
  it('should notify a breach once, then stay quiet while it lasts', () => {
    const first = transition(null, { breach: true, warn: false }, policy, now)
    const again = transition(
      state('firing', '2026-12-04T11:00:00.000Z'),
      { breach: true, warn: false },
      policy,
      now,
    )
    expect([first, again]).toEqual([
      { state: 'firing', notify: 'firing' },
      { state: 'firing', notify: null },
    ])
  })

  it('should re-notify a lasting breach once renotifyMinutes have passed, not before', () => {
    const renotify = { renotifyMinutes: 30, notifyOnResolve: true }
    expect([
      transition(
        state('firing', '2026-12-04T11:31:00.000Z'),
        { breach: true, warn: false },
        renotify,
        now,
      ),
      transition(
        state('firing', '2026-12-04T11:30:00.000Z'),
        { breach: true, warn: false },
        renotify,
        now,
      ),
    ]).toEqual([
      { state: 'firing', notify: null },
      { state: 'firing', notify: 'renotify' },
    ])
  })

  it('should resolve a cleared breach, silently when notifyOnResolve is off', () => {
    const clear = { breach: false, warn: false }
    expect([
      transition(state('firing'), clear, policy, now),
      transition(state('firing'), clear, { renotifyMinutes: 0, notifyOnResolve: false }, now),
      transition(state('resolved'), clear, policy, now),
    ]).toEqual([
      { state: 'resolved', notify: 'resolved' },
      { state: 'resolved', notify: null },
      { state: 'resolved', notify: null },
    ])
  })

  it('should warn once on a forecast, then fire on the breach', () => {
    const warn = { breach: false, warn: true }
    expect([
      transition(null, warn, policy, now),
      transition(state('warning'), warn, policy, now),
      transition(state('warning'), { breach: true, warn: true }, policy, now),
      transition(state('warning'), { breach: false, warn: false }, policy, now),
    ]).toEqual([
      { state: 'warning', notify: 'warning' },
      { state: 'warning', notify: null },
      { state: 'firing', notify: 'firing' },
      { state: 'ok', notify: null },
    ])
  })
})
