import { describe, expect, it } from 'vitest'
import { RefreshAheadCache } from './refresh-ahead-cache'

/** A load the test answers by hand, counting calls. */
function manualLoads() {
  const pending: { resolve: (value: string) => void; reject: (err: Error) => void }[] = []
  return {
    pending,
    load: () => new Promise<string>((resolve, reject) => pending.push({ resolve, reject })),
  }
}

describe('RefreshAheadCache', () => {
  it('should serve a copy past half its age while one load refreshes it', async () => {
    let now = 0
    const cache = new RefreshAheadCache<string>(10_000, () => now)
    const loads = manualLoads()
    const first = cache.get('k', loads.load)
    loads.pending[0]!.resolve('v1')
    expect(await first).toBe('v1')

    now = 4_999
    expect(await cache.get('k', loads.load)).toBe('v1')
    expect(loads.pending).toHaveLength(1)
    // Past half its age: answered at once from the copy, and one refresh starts for all.
    now = 6_000
    expect(await cache.get('k', loads.load)).toBe('v1')
    expect(await cache.get('k', loads.load)).toBe('v1')
    expect(loads.pending).toHaveLength(2)
    loads.pending[1]!.resolve('v2')
    await new Promise((resolve) => setImmediate(resolve))
    expect(await cache.get('k', loads.load)).toBe('v2')
    // The new copy's age counts from when its load started (6 s): expired at 16 s.
    now = 16_000
    const waited = cache.get('k', loads.load)
    expect(loads.pending).toHaveLength(3)
    loads.pending[2]!.resolve('v3')
    expect(await waited).toBe('v3')
  })

  it('should wait for an expired copy, and keep serving the last one while loads fail', async () => {
    let now = 0
    const cache = new RefreshAheadCache<string>(10_000, () => now)
    const loads = manualLoads()
    const first = cache.get('k', loads.load)
    loads.pending[0]!.resolve('v1')
    expect(await first).toBe('v1')
    now = 20_000
    const stale = cache.get('k', loads.load)
    loads.pending[1]!.reject(new Error('store down'))
    expect(await stale).toBe('v1')
    // Nothing to fall back on: the failure reaches the caller.
    const missing = cache.get('other', loads.load)
    loads.pending[2]!.reject(new Error('store down'))
    await expect(missing).rejects.toThrow('store down')
  })

  it('should not keep a load that started before the key was deleted', async () => {
    let now = 0
    const cache = new RefreshAheadCache<string>(10_000, () => now)
    const loads = manualLoads()
    const first = cache.get('key', loads.load)
    loads.pending[0]!.resolve('active')
    await first
    now = 7_000
    expect(await cache.get('key', loads.load)).toBe('active')
    // A revocation through this process while the refresh reads the old row.
    cache.delete('key')
    loads.pending[1]!.resolve('active')
    await new Promise((resolve) => setImmediate(resolve))
    const next = cache.get('key', loads.load)
    expect(loads.pending).toHaveLength(3)
    loads.pending[2]!.resolve('revoked')
    expect(await next).toBe('revoked')
  })
})
