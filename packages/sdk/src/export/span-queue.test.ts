import { describe, expect, it } from 'vitest'
import { SpanQueue } from './span-queue'

describe('SpanQueue', () => {
  it('should give items back oldest first through shift and take, across compactions', () => {
    const queue = new SpanQueue<number>()
    for (let i = 0; i < 5000; i++) queue.push(i)
    expect(queue.take(3)).toEqual([0, 1, 2])
    for (let i = 3; i < 3000; i++) expect(queue.shift()).toBe(i)
    expect(queue.length).toBe(2000)
    queue.push(5000)
    expect(queue.take(1998)).toEqual(Array.from({ length: 1998 }, (_, i) => 3000 + i))
    expect(queue.take(10)).toEqual([4998, 4999, 5000])
    expect(queue.length).toBe(0)
    expect(queue.shift()).toBeUndefined()
    expect(queue.take(4)).toEqual([])
  })
})
