import type { Project } from '../api/types'
import { Link } from './Link'
import { ThemeToggle } from './ThemeToggle'

/** Props of `AppHeader`. */
export interface AppHeaderProps {
  project: Project
  onSignOut: () => void
}

/** The bar above every page: product, navigation, the signed-in project and sign-out. */
export function AppHeader({ project, onSignOut }: AppHeaderProps) {
  return (
    <header className="app-header">
      <Link href="/" className="brand">
        agentmeter
      </Link>
      <nav aria-label="Main">
        <Link href="/overview">Overview</Link>
        <Link href="/">Cost per task</Link>
        <Link href="/showback">Showback</Link>
        <Link href="/regressions">Regressions</Link>
        <Link href="/alerts">Alerts</Link>
        <Link href="/prices">Prices</Link>
        <Link href="/hotspots">Hotspots</Link>
        <Link href="/recommendations">Recommendations</Link>
      </nav>
      <span className="app-project" title={`Project ${project.id}`}>
        {project.name}
      </span>
      <ThemeToggle />
      <button type="button" className="secondary" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  )
}
