import { useApi } from '../api/use-api'
import { postWhatIf, type AcceptedSwitch, type WhatIfResult } from '../api/what-if'
import { Panel } from '../components/Panel'
import { prepareWhatIf, type WhatIfRow } from '../prepare/what-if'
import { WhatIfChart } from './WhatIfChart'

/** Props of `WhatIfPanel`. */
export interface WhatIfPanelProps {
  accepted: AcceptedSwitch[]
  /** Names the accepted set, so the request runs again when it changes. */
  acceptedKey: string
}

const TITLE = 'What if: cost per task over the last 30 days'

/**
 * The last 30 days repriced as if the accepted recommendations had been made, per task name
 * and in total. With nothing accepted there is nothing to project, and the panel says how to
 * start.
 */
export function WhatIfPanel({ accepted, acceptedKey }: WhatIfPanelProps) {
  if (accepted.length === 0) {
    return (
      <section className="panel" data-testid="what-if-panel" data-state="empty">
        <header className="panel-header">
          <h2>{TITLE}</h2>
        </header>
        <p className="panel-status">
          Accept recommendations above to see the projected cost per task before changing code.
        </p>
      </section>
    )
  }
  return <WhatIfResults accepted={accepted} acceptedKey={acceptedKey} />
}

function WhatIfResults({ accepted, acceptedKey }: WhatIfPanelProps) {
  const state = useApi(`what-if:${acceptedKey}`, (signal) => postWhatIf(accepted, signal))
  return (
    <Panel<WhatIfResult>
      title={TITLE}
      testId="what-if-panel"
      state={state}
      // Tasks without any price are not nothing: the body says how many were left out.
      isEmpty={(data) => data.current.tasks === 0 && data.unpricedOnlyTasks === 0}
      emptyText="No tasks in the last 30 days to reprice."
    >
      {(data) => <WhatIfBody result={data} />}
    </Panel>
  )
}

function WhatIfBody({ result }: { result: WhatIfResult }) {
  const model = prepareWhatIf(result)
  return (
    <>
      <ul className="what-if-switches" data-testid="what-if-switches">
        {model.switches.map((line) => (
          <li key={line.key}>{line.text}</li>
        ))}
      </ul>
      <WhatIfChart model={model} />
      <div className="table-scroll">
        <table className="data-table" data-testid="what-if-table">
          <thead>
            <tr>
              <th scope="col">Task name</th>
              <th scope="col">Tasks</th>
              <th scope="col">Cost per task now</th>
              <th scope="col">Projected per task</th>
              <th scope="col">Total now</th>
              <th scope="col">Projected total</th>
              <th scope="col">Change</th>
              <th scope="col">Unpriced calls</th>
            </tr>
          </thead>
          <tbody>
            {model.rows.map((row) => (
              <Row key={row.taskName} row={row} testId="what-if-row" />
            ))}
          </tbody>
          <tfoot>
            <Row row={model.totals} testId="what-if-total" />
          </tfoot>
        </table>
      </div>
      <p data-testid="what-if-percentiles">
        Cost per task now: {model.percentiles.current}; projected: {model.percentiles.projected}.
      </p>
      {model.unpricedNote ? (
        <p className="panel-status" data-testid="what-if-unpriced">
          {model.unpricedNote}
        </p>
      ) : null}
    </>
  )
}

function Row({ row, testId }: { row: WhatIfRow; testId: string }) {
  return (
    <tr data-testid={testId}>
      <th scope="row">{row.taskName}</th>
      <td>{row.tasks}</td>
      <td>{row.currentPerTask}</td>
      <td>{row.projectedPerTask}</td>
      <td>{row.currentTotal}</td>
      <td>{row.projectedTotal}</td>
      <td>{row.change}</td>
      <td>{row.unpriced}</td>
    </tr>
  )
}
