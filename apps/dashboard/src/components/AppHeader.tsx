import { useId, useState } from 'react'
import type { Project } from '../api/types'
import type { Route } from '../routing/route'
import { currentNavItem, NAV_ITEMS } from '../routing/nav-items'
import { Link } from './Link'
import { ThemeToggle } from './ThemeToggle'

/** Props of `AppHeader`. */
export interface AppHeaderProps {
  project: Project
  /** The page shown, whose entry is marked as current. */
  page: Route['page']
  onSignOut: () => void
}

/**
 * The bar above every page: product, navigation, the signed-in project and sign-out. On a
 * narrow screen (a phone) the navigation and the account controls fold behind a Menu button,
 * so nothing runs off the screen; a link chosen there folds them again.
 */
export function AppHeader({ project, page, onSignOut }: AppHeaderProps) {
  const [open, setOpen] = useState(false)
  const menuId = useId()
  const current = currentNavItem(page)
  const close = () => setOpen(false)
  return (
    <header className={`app-header${open ? ' menu-open' : ''}`}>
      <Link href="/" className="brand" onClick={close}>
        agentmeter
      </Link>
      <button
        type="button"
        className="secondary menu-toggle"
        aria-expanded={open}
        aria-controls={menuId}
        data-testid="menu-toggle"
        onClick={() => setOpen(!open)}
      >
        Menu
      </button>
      <div className="app-menu" id={menuId}>
        <nav aria-label="Main">
          {NAV_ITEMS.map((item) => (
            <Link
              key={item.href}
              href={item.href}
              aria-current={item === current ? 'page' : undefined}
              onClick={close}
            >
              {item.label}
            </Link>
          ))}
        </nav>
        <div className="app-account">
          <span className="app-project" title={`Project ${project.id}`}>
            {project.name}
          </span>
          <ThemeToggle />
          <button type="button" className="secondary" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </div>
    </header>
  )
}
