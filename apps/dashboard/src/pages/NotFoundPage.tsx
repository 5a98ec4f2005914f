import { Link } from '../components/Link'

/** Any path the dashboard does not know. */
export function NotFoundPage() {
  return (
    <div className="page-error">
      <title>Not found · agentmeter</title>
      <h1>Page not found</h1>
      <p>
        There is nothing at this address. Go to <Link href="/">Cost per task</Link>.
      </p>
    </div>
  )
}
