import { describe, expect, it } from 'vitest'
import { outcome, step, task, tool } from './index'

// No init() and no tracer provider in this file: the manual API must be a plain pass-through.
describe('the manual API without init()', () => {
  it('should return what the functions return', async () => {
    const result = await task('t', () =>
      step('s', async () => {
        outcome(true, 1)
        return tool('x', { a: 1 }, () => 'value')
      }),
    )
    expect(result).toBe('value')
  })

  it('should rethrow errors unchanged', async () => {
    const failure = new RangeError('nope')
    await expect(task('t', () => tool('x', null, () => Promise.reject(failure)))).rejects.toBe(
      failure,
    )
  })
})
