import { useMemo } from 'react'
import { fetchAlertEvents, fetchAlertRules } from '../api/alerts'
import { useApi } from '../api/use-api'
import { AlertEventsTable } from '../alerts/AlertEventsTable'
import { AlertRulesTable } from '../alerts/AlertRulesTable'
import { Panel } from '../components/Panel'
import { prepareAlertEvents, prepareAlertRules } from '../prepare/alerts'

const RECENT_EVENTS = 50

/**
 * The project's alert rules with their state, and the recent firings. Rules are created and
 * edited through the API or `pnpm agentmeter alerts`; this page shows where they stand.
 */
export function AlertsPage() {
  const rules = useApi('alert-rules', (signal) => fetchAlertRules(signal))
  const events = useApi('alert-events', (signal) => fetchAlertEvents(RECENT_EVENTS, signal))
  const ruleRows = useMemo(
    () => (rules.status === 'ready' ? prepareAlertRules(rules.data) : []),
    [rules],
  )
  const eventRows = useMemo(
    () => (events.status === 'ready' ? prepareAlertEvents(events.data) : []),
    [events],
  )

  return (
    <div className="page" data-testid="alerts-page">
      <title>Alerts · agentmeter</title>
      <div className="page-header">
        <h1>Alerts</h1>
      </div>
      <Panel
        title="Rules"
        testId="alert-rules"
        state={rules}
        isEmpty={(data) => data.length === 0}
        emptyText="No alert rules yet. Create one with POST /api/v1/alert-rules or pnpm agentmeter alerts create."
        className="wide"
      >
        {() => <AlertRulesTable rows={ruleRows} />}
      </Panel>
      <Panel
        title="Recent events"
        testId="alert-events"
        state={events}
        isEmpty={(data) => data.length === 0}
        emptyText="No alert has fired yet."
        className="wide"
      >
        {() => <AlertEventsTable rows={eventRows} />}
      </Panel>
    </div>
  )
}
