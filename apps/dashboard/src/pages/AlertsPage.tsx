import { useMemo, useState } from 'react'
import { fetchAlertEvents, fetchAlertRules, setAlertRuleEnabled } from '../api/alerts'
import { errorMessage } from '../api/error-message'
import { useApi } from '../api/use-api'
import { AlertEventsTable } from '../alerts/AlertEventsTable'
import { AlertRulesTable } from '../alerts/AlertRulesTable'
import { Panel } from '../components/Panel'
import { prepareAlertEvents, prepareAlertRules, type AlertRuleRow } from '../prepare/alerts'

const RECENT_EVENTS = 50

/**
 * The project's alert rules with their state, and the recent firings. Rules are created and
 * edited through the API or `pnpm agentmeter alerts`; this page shows where they stand.
 */
export function AlertsPage() {
  // Bumped after a change, so the rules are read again from the collector.
  const [version, setVersion] = useState(0)
  const [busyRuleId, setBusyRuleId] = useState<string | null>(null)
  const [toggleError, setToggleError] = useState<string | null>(null)
  const rules = useApi(`alert-rules:${version}`, (signal) => fetchAlertRules(signal))
  const events = useApi('alert-events', (signal) => fetchAlertEvents(RECENT_EVENTS, signal))
  const ruleRows = useMemo(
    () => (rules.status === 'ready' ? prepareAlertRules(rules.data) : []),
    [rules],
  )
  const eventRows = useMemo(
    () => (events.status === 'ready' ? prepareAlertEvents(events.data) : []),
    [events],
  )

  const toggle = (row: AlertRuleRow) => {
    setBusyRuleId(row.id)
    setToggleError(null)
    setAlertRuleEnabled(row.id, !row.enabled).then(
      () => {
        setBusyRuleId(null)
        setVersion((count) => count + 1)
      },
      (error: unknown) => {
        setBusyRuleId(null)
        setToggleError(errorMessage(error))
      },
    )
  }

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
        {() => (
          <>
            {toggleError !== null && (
              <p className="panel-error" role="alert">
                {toggleError}
              </p>
            )}
            <AlertRulesTable rows={ruleRows} onToggle={toggle} busyRuleId={busyRuleId} />
          </>
        )}
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
