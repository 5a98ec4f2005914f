import { describe, expect, it } from 'vitest'
import { applyTheme, nextTheme, storedTheme } from './theme'

describe('theme', () => {
  it('should cycle system, light, dark and read bad stored values as system', () => {
    expect([nextTheme('system'), nextTheme('light'), nextTheme('dark')]).toEqual([
      'light',
      'dark',
      'system',
    ])
    expect(storedTheme({ getItem: () => 'dark' })).toBe('dark')
    expect(storedTheme({ getItem: () => 'purple' })).toBe('system')
    expect(
      storedTheme({
        getItem: () => {
          throw new Error('denied')
        },
      }),
    ).toBe('system')
  })

  it('should set data-theme, drop it for the system theme, and store the choice', () => {
    const root = { dataset: {} as Record<string, string> } as unknown as HTMLElement
    const stored: string[] = []
    applyTheme('dark', root, { setItem: (_key, value) => stored.push(value) })
    expect(root.dataset.theme).toBe('dark')
    applyTheme('system', root, { setItem: (_key, value) => stored.push(value) })
    expect(root.dataset.theme).toBeUndefined()
    expect(stored).toEqual(['dark', 'system'])
  })
})
