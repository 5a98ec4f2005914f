import { describe, expect, it } from 'vitest'
import { readKeyFromFragment, takeKeyFromLocation } from './fragment-key'

describe('readKeyFromFragment', () => {
  it('should read the key parameter of the fragment', () => {
    expect([
      readKeyFromFragment('#key=am_123'),
      readKeyFromFragment('#tab=2&key=am%2B1'),
      readKeyFromFragment('key=am_9'),
    ]).toEqual(['am_123', 'am+1', 'am_9'])
  })

  it('does return null without a key', () => {
    expect([
      readKeyFromFragment(''),
      readKeyFromFragment('#'),
      readKeyFromFragment('#key='),
      readKeyFromFragment('#top'),
    ]).toEqual([null, null, null, null])
  })
})

describe('takeKeyFromLocation', () => {
  function setupLocation(hash: string) {
    const calls: unknown[][] = []
    const access = {
      location: { hash, pathname: '/tasks/a', search: '?range=1h' },
      history: {
        state: { from: 'test' },
        replaceState: (...args: unknown[]) => void calls.push(args),
      },
    }
    return { access, calls }
  }

  it('should return the key and drop the fragment from the URL', () => {
    const { access, calls } = setupLocation('#key=am_123')
    expect(takeKeyFromLocation(access)).toEqual('am_123')
    expect(calls).toEqual([[{ from: 'test' }, '', '/tasks/a?range=1h']])
  })

  it('does leave the URL alone when the fragment has no key', () => {
    const { access, calls } = setupLocation('#top')
    expect(takeKeyFromLocation(access)).toEqual(null)
    expect(calls).toEqual([])
  })
})
