import { useMemo } from 'react'
import type { UnpricedReport } from '../api/pricing'
import type { ApiState } from '../api/use-api'
import { Link } from '../components/Link'
import { Panel } from '../components/Panel'
import { prepareUnpriced } from '../prepare/unpriced'

/** Props of `UnpricedPanel`. */
export interface UnpricedPanelProps {
  state: ApiState<UnpricedReport>
}

/** The share of model calls without a price and the models behind them. */
export function UnpricedPanel({ state }: UnpricedPanelProps) {
  const report = state.status === 'ready' ? state.data : null
  const model = useMemo(() => (report === null ? null : prepareUnpriced(report)), [report])

  return (
    <Panel title="Unpriced calls" testId="unpriced" state={state} className="wide">
      {() =>
        model !== null && (
          <>
            <p data-testid="unpriced-summary">{model.summary}</p>
            {model.hasUnpriced && (
              <div className="table-scroll">
                <table className="data-table">
                  <thead>
                    <tr>
                      <th scope="col">Model</th>
                      <th scope="col">Provider</th>
                      <th scope="col">Calls</th>
                      <th scope="col">Share</th>
                      <th scope="col">Why</th>
                    </tr>
                  </thead>
                  <tbody>
                    {model.rows.map((row) => (
                      <tr key={row.key}>
                        <td>{row.model}</td>
                        <td>{row.provider}</td>
                        <td>{row.calls}</td>
                        <td>{row.share}</td>
                        <td>{row.reason}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {model.hasUnpriced && (
              <p className="footnote">
                Add a <Link href="/prices">custom price</Link>, then run{' '}
                <code>pnpm agentmeter reprice</code> to price the stored calls.
              </p>
            )}
          </>
        )
      }
    </Panel>
  )
}
