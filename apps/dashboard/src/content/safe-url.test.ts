import { describe, expect, it } from 'vitest'
import { safeLinkHref } from './safe-url'

describe('safeLinkHref', () => {
  it('should pass absolute http, https and mailto URLs, serialized by the URL parser', () => {
    expect(safeLinkHref('https://docs.example.invalid/a?b=1')).toBe(
      'https://docs.example.invalid/a?b=1',
    )
    expect(safeLinkHref(' HTTP://Example.invalid/x y')).toBe('http://example.invalid/x%20y')
    expect(safeLinkHref('mailto:ops@example.invalid')).toBe('mailto:ops@example.invalid')
    expect(safeLinkHref('https://x.invalid/"onmouseover="alert(1)')).toBe(
      'https://x.invalid/%22onmouseover=%22alert(1)',
    )
  })

  it('should refuse every other scheme, obfuscated ones included, and relative paths', () => {
    for (const href of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      '\u0000javascript:alert(1)',
      ' javascript:alert(1)',
      'jav&#x61;script:alert(1)',
      'data:text/html;base64,PHNjcmlwdD4=',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'blob:https://x.invalid/1',
      '/api/v1/admin/keys',
      '//evil.invalid/x',
      '#top',
      '',
    ]) {
      expect(safeLinkHref(href), JSON.stringify(href)).toBeNull()
    }
  })
})
