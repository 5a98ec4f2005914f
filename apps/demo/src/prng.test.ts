import { describe, expect, it } from 'vitest'

import { createRng } from './prng'

describe('createRng', () => {
  it('should give the same draws for the same seed and different ones for another', () => {
    const draw = (seed: number) => {
      const rng = createRng(seed)
      return [rng.next(), rng.int(1, 6), rng.pick(['a', 'b', 'c']), rng.chance(0.5)]
    }

    expect(draw(7)).toEqual(draw(7))
    expect(draw(7)).not.toEqual(draw(8))
  })

  it('should keep int within its bounds and reach both ends', () => {
    const rng = createRng(3)
    const values = new Set(Array.from({ length: 500 }, () => rng.int(2, 4)))

    expect([...values].sort()).toEqual([2, 3, 4])
  })

  it('should shuffle into a permutation without touching the input', () => {
    const items = [1, 2, 3, 4, 5]
    const shuffled = createRng(11).shuffle(items)

    expect([...shuffled].sort()).toEqual([1, 2, 3, 4, 5])
    expect(items).toEqual([1, 2, 3, 4, 5])
  })

  it('should fork generators whose draws do not depend on later use of the parent', () => {
    const a = createRng(5)
    const b = createRng(5)
    const forkA = a.fork()
    const forkB = b.fork()
    b.next()

    expect([forkA.next(), forkA.next()]).toEqual([forkB.next(), forkB.next()])
  })

  it('should refuse to pick from an empty list', () => {
    expect(() => createRng(1).pick([])).toThrow('pick() needs at least one item')
  })
})
