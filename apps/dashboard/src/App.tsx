import { Suspense, lazy, useMemo } from 'react'
import { AppHeader } from './components/AppHeader'
import { ErrorBoundary } from './components/ErrorBoundary'
import { NotFoundPage } from './pages/NotFoundPage'
import { SignInPage } from './pages/SignInPage'
import { useLocation } from './routing/navigation'
import { parseRoute } from './routing/route'
import { AuthContext } from './session/auth-context'
import { ProjectContext } from './session/project-context'
import { useSession } from './session/use-session'

// Every page is a chunk of its own, loaded when it is first opened: a page waits only for its
// own code (`test/dashboard-build.test.ts` checks the build keeps it so).
const CostPerTaskPage = lazy(() =>
  import('./pages/CostPerTaskPage').then((module) => ({ default: module.CostPerTaskPage })),
)
const HotspotsPage = lazy(() =>
  import('./pages/HotspotsPage').then((module) => ({ default: module.HotspotsPage })),
)
const PricesPage = lazy(() =>
  import('./pages/PricesPage').then((module) => ({ default: module.PricesPage })),
)
const TaskDetailPage = lazy(() =>
  import('./pages/TaskDetailPage').then((module) => ({ default: module.TaskDetailPage })),
)
const RecommendationsPage = lazy(() =>
  import('./pages/RecommendationsPage').then((module) => ({
    default: module.RecommendationsPage,
  })),
)
const OverviewPage = lazy(() =>
  import('./pages/OverviewPage').then((module) => ({ default: module.OverviewPage })),
)
const ShowbackPage = lazy(() =>
  import('./pages/ShowbackPage').then((module) => ({ default: module.ShowbackPage })),
)
const RegressionsPage = lazy(() =>
  import('./pages/RegressionsPage').then((module) => ({ default: module.RegressionsPage })),
)
const AlertsPage = lazy(() =>
  import('./pages/AlertsPage').then((module) => ({ default: module.AlertsPage })),
)

/** Props of `App`. */
export interface AppProps {
  /** A project key taken from the URL fragment at start, to sign in with. */
  initialKey: string | null
}

/** The dashboard: the session decides between the sign-in form and the routed page. */
export function App({ initialKey }: AppProps) {
  const session = useSession(initialKey)
  const location = useLocation()
  const route = parseRoute(location.pathname)
  const auth = useMemo(() => ({ onUnauthorized: session.expire }), [session.expire])
  const { state } = session

  if (state.status === 'checking') {
    return (
      <main className="app-status" role="status">
        Loading…
      </main>
    )
  }
  if (state.status === 'error') {
    return (
      <main className="page-error" role="alert">
        <h1>The collector is not answering</h1>
        <p>{state.message}</p>
        <button type="button" onClick={session.retry}>
          Retry
        </button>
      </main>
    )
  }
  if (state.status === 'signed-out') {
    return <SignInPage notice={state.notice} onSignIn={session.signIn} />
  }

  return (
    <AuthContext value={auth}>
      <ProjectContext value={state.project}>
        <AppHeader
          project={state.project}
          page={route.page}
          onSignOut={() => void session.signOut()}
        />
        <main className="app-main">
          <ErrorBoundary key={location.pathname}>
            <Suspense
              fallback={
                <p className="app-status" role="status">
                  Loading…
                </p>
              }
            >
              {route.page === 'costs' && <CostPerTaskPage search={location.search} />}
              {route.page === 'task' && <TaskDetailPage taskId={route.taskId} />}
              {route.page === 'alerts' && <AlertsPage />}
              {route.page === 'prices' && <PricesPage />}
              {route.page === 'hotspots' && <HotspotsPage search={location.search} />}
              {route.page === 'recommendations' && <RecommendationsPage search={location.search} />}
              {route.page === 'overview' && <OverviewPage search={location.search} />}
              {route.page === 'showback' && <ShowbackPage search={location.search} />}
              {route.page === 'regressions' && <RegressionsPage search={location.search} />}
              {route.page === 'not-found' && <NotFoundPage />}
            </Suspense>
          </ErrorBoundary>
        </main>
      </ProjectContext>
    </AuthContext>
  )
}
