import { describe, expect, it } from 'vitest'
import { classifyAddress, createGuardedLookup, describeBlockedHost } from './address-guard'

describe('classifyAddress', () => {
  it('should refuse loopback, private, link-local and mapped addresses, naming why', () => {
    expect({
      loopback: classifyAddress('127.0.0.1'),
      loopback6: classifyAddress('::1'),
      private10: classifyAddress('10.1.2.3'),
      private172: classifyAddress('172.20.0.1'),
      private192: classifyAddress('192.168.1.1'),
      linkLocal: classifyAddress('169.254.169.254'),
      linkLocal6: classifyAddress('fe80::1'),
      uniqueLocal: classifyAddress('fd00::1'),
      mapped: classifyAddress('::ffff:127.0.0.1'),
      unspecified: classifyAddress('0.0.0.0'),
    }).toEqual({
      loopback: 'a loopback address',
      loopback6: 'a loopback address',
      private10: 'a private address',
      private172: 'a private address',
      private192: 'a private address',
      linkLocal: 'a link-local address',
      linkLocal6: 'a link-local address',
      uniqueLocal: 'a private (unique local) address',
      mapped: 'a loopback address',
      unspecified: 'an unspecified address',
    })
  })

  it('should let public addresses through', () => {
    expect([
      classifyAddress('93.184.216.34'),
      classifyAddress('172.32.0.1'),
      classifyAddress('2606:4700::1111'),
    ]).toEqual([null, null, null])
  })

  it('does read bracketed IPv6 and localhost names from URL hosts', () => {
    expect([
      describeBlockedHost('[::1]'),
      describeBlockedHost('localhost'),
      describeBlockedHost('api.localhost'),
      describeBlockedHost('hooks.slack.com'),
    ]).toEqual(['a loopback address', 'a loopback name', 'a loopback name', null])
  })
})

describe('createGuardedLookup', () => {
  it('should refuse a name that resolves to loopback unless private targets are allowed', async () => {
    const resolve = (allow: boolean) =>
      new Promise<{ err: Error | null; address: unknown }>((done) =>
        createGuardedLookup(allow)('localhost', { family: 4 }, (err, address) =>
          done({ err, address }),
        ),
      )
    const refused = await resolve(false)
    expect(refused.err?.message).toBe(
      'webhook host localhost resolved to 127.0.0.1, a loopback address; set AGENTMETER_ALLOW_PRIVATE_WEBHOOKS=1 to allow loopback, private and link-local targets',
    )
    const allowed = await resolve(true)
    expect(allowed).toEqual({ err: null, address: '127.0.0.1' })
  })
})
