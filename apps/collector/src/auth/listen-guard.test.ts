import { describe, expect, it } from 'vitest'
import { isLoopbackHost, listenRefusal } from './listen-guard'

const none = { adminToken: undefined, initKey: false, activeKeys: 0 }

describe('listenRefusal', () => {
  it('should let every loopback address listen without auth', () => {
    for (const host of [
      '127.0.0.1',
      '127.8.9.10',
      'localhost',
      '::1',
      '[::1]',
      '::ffff:127.0.0.1',
    ]) {
      expect(isLoopbackHost(host)).toBe(true)
      expect(listenRefusal({ host, ...none })).toBeNull()
    }
  })

  it('should refuse any other address without auth, naming the ways to configure it', () => {
    for (const host of [
      '0.0.0.0',
      '::',
      '10.0.0.5',
      '192.168.1.2',
      'collector.internal',
      '128.0.0.1',
    ]) {
      expect(isLoopbackHost(host)).toBe(false)
      expect(listenRefusal({ host, ...none })).toBe(
        `refusing to listen on ${host} without auth configured: set AGENTMETER_ADMIN_TOKEN (at least 16 characters) or AGENTMETER_INIT_PROJECT and AGENTMETER_INIT_API_KEY, or create a key first (agentmeter keys create); or listen on 127.0.0.1`,
      )
    }
  })

  it('should accept an admin token of 16 characters, an init key or a stored key', () => {
    expect(listenRefusal({ host: '0.0.0.0', ...none, adminToken: 'x'.repeat(16) })).toBeNull()
    expect(listenRefusal({ host: '0.0.0.0', ...none, initKey: true })).toBeNull()
    expect(listenRefusal({ host: '0.0.0.0', ...none, activeKeys: 1 })).toBeNull()
    expect(listenRefusal({ host: '0.0.0.0', ...none, adminToken: 'short', activeKeys: 3 })).toBe(
      'refusing to listen on 0.0.0.0: AGENTMETER_ADMIN_TOKEN has 5 characters; off loopback it needs at least 16',
    )
  })
})
