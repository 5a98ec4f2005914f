import type { Project } from '../api/types'
import { Link } from './Link'

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
        <Link href="/">Cost per task</Link>
        <Link href="/alerts">Alerts</Link>
        <Link href="/prices">Prices</Link>
        <Link href="/hotspots">Hotspots</Link>
        <Link href="/recommendations">Recommendations</Link>
      </nav>
      <span className="app-project" title={`Project ${project.id}`}>
        {project.name}
      </span>
      <button type="button" className="secondary" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  )
}
