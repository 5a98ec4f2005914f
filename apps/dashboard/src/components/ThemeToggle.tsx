import { useState } from 'react'
import { nextTheme, storedTheme, THEME_LABELS, applyTheme, type Theme } from '../session/theme'

/**
 * Cycles the colour theme: the system's (`prefers-color-scheme`), light, dark. The choice is
 * kept in localStorage and applied as `data-theme` on the root element.
 */
export function ThemeToggle() {
  const [theme, setTheme] = useState<Theme>(() => storedTheme(window.localStorage))
  const change = () => {
    const next = nextTheme(theme)
    applyTheme(next, document.documentElement, window.localStorage)
    setTheme(next)
  }
  return (
    <button
      type="button"
      className="secondary"
      aria-label={`Theme: ${THEME_LABELS[theme]}. Switch to ${THEME_LABELS[nextTheme(theme)]}`}
      data-testid="theme-toggle"
      onClick={change}
    >
      {THEME_LABELS[theme]}
    </button>
  )
}
