import { fetchHotspots, type HotspotReport } from '../api/hotspots'
import { useApi } from '../api/use-api'
import { Link } from '../components/Link'
import { Panel } from '../components/Panel'
import { formatUsd } from '../prepare/format-money'
import { prepareHotspotRows } from '../prepare/hotspots'
import { taskHref } from '../routing/route'

const WINDOW_MILLIS = 30 * 24 * 3_600_000

/**
 * Money spent on repeated work over the last 30 days, ranked by dollars: each hotspot with the
 * tasks and spans behind it and one sentence on what to change.
 */
export function HotspotsPage() {
  // The window is computed when the request starts, so "last 30 days" ends at the request.
  const state = useApi('hotspots', (signal) => {
    const now = Date.now()
    const window = {
      from: new Date(now - WINDOW_MILLIS).toISOString(),
      to: new Date(now).toISOString(),
    }
    return fetchHotspots(window, signal)
  })

  return (
    <div className="page">
      <title>Hotspots · agentmeter</title>
      <h1>Redundancy hotspots</h1>
      <Panel<HotspotReport>
        title="Repeated work, last 30 days"
        testId="hotspots-panel"
        state={state}
        isEmpty={(data) => data.hotspots.length === 0}
        emptyText="No repeated work found in the last 30 days."
      >
        {(data) => <HotspotTable report={data} />}
      </Panel>
    </div>
  )
}

function HotspotTable({ report }: { report: HotspotReport }) {
  const rows = prepareHotspotRows(report.hotspots)
  const share =
    report.wastedShare === null
      ? ''
      : ` (${(report.wastedShare * 100).toFixed(1)}% of ${formatUsd(report.totalSpendUsd)} spent)`
  return (
    <>
      <p data-testid="hotspots-total">
        {formatUsd(report.totalWastedUsd)} wasted on repeated work{share}.
      </p>
      <div className="table-scroll">
        <table className="data-table hotspots-table" data-testid="hotspots-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Cause</th>
              <th scope="col">Where</th>
              <th scope="col">Times</th>
              <th scope="col">Wasted</th>
              <th scope="col">Share</th>
              <th scope="col">What to change</th>
              <th scope="col">Examples</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.key} data-testid="hotspot-row">
                <td>{row.rank}</td>
                <td>{row.cause}</td>
                <td className="wrap">{row.where}</td>
                <td>{row.occurrences}</td>
                <td data-testid="hotspot-wasted">{formatUsd(row.wastedUsd)}</td>
                <td>{row.share}</td>
                <td className="wrap">{row.fix}</td>
                <td className="wrap">
                  <div className="example-links">
                    {row.examples.map((example, index) => (
                      <Link
                        key={`${example.taskId}/${example.spanId}/${index}`}
                        href={`${taskHref(example.taskId)}#span-${example.spanId}`}
                      >
                        span {example.spanId.slice(0, 8)}
                      </Link>
                    ))}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}
