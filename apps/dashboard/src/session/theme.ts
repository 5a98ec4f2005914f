/** The colour theme: the system's choice, or one forced by the user. */
export type Theme = 'system' | 'light' | 'dark'

const KEY = 'agentmeter.theme'
const ORDER: readonly Theme[] = ['system', 'light', 'dark']

export const THEME_LABELS: Record<Theme, string> = {
  system: 'System theme',
  light: 'Light theme',
  dark: 'Dark theme',
}

/** The stored theme; anything unreadable is the system's. */
export function storedTheme(storage: Pick<Storage, 'getItem'>): Theme {
  try {
    const value = storage.getItem(KEY)
    return ORDER.includes(value as Theme) ? (value as Theme) : 'system'
  } catch {
    // Storage can be off (private mode, policies): the system theme is a fine answer.
    return 'system'
  }
}

export function nextTheme(theme: Theme): Theme {
  return ORDER[(ORDER.indexOf(theme) + 1) % ORDER.length]!
}

/** Sets `data-theme` (none for the system's) and remembers the choice. */
export function applyTheme(
  theme: Theme,
  root: HTMLElement,
  storage?: Pick<Storage, 'setItem'>,
): void {
  if (theme === 'system') delete root.dataset.theme
  else root.dataset.theme = theme
  try {
    storage?.setItem(KEY, theme)
  } catch {
    // Not remembered; the theme still applies to this page.
  }
}
