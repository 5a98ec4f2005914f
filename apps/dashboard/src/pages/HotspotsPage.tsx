import { useMemo } from 'react'
import { fetchHotspots, type HotspotReport } from '../api/hotspots'
import { useApi } from '../api/use-api'
import { CsvButton } from '../components/CsvButton'
import { Link } from '../components/Link'
import { Panel } from '../components/Panel'
import { ExploreBar } from '../explore/ExploreBar'
import { exploreApiParams, exploreToSearch, parseExploreFilters } from '../prepare/explore-filters'
import { RANGE_PRESETS } from '../prepare/filters'
import { formatUsd } from '../prepare/format'
import { hotspotTotalText, prepareHotspotRows, unlistedHotspotsText } from '../prepare/hotspots'
import { taskHref } from '../routing/route'

/** Props of `HotspotsPage`. */
export interface HotspotsPageProps {
  /** The URL's query string: the time range and the Explore filters. */
  search: string
}

/**
 * Money spent on repeated work in the time range (the last 7 days, the default of every page,
 * unless the URL says otherwise) of the tasks the Explore filters select, ranked by dollars:
 * each hotspot with the tasks and spans behind it and one sentence on what to change.
 */
export function HotspotsPage({ search }: HotspotsPageProps) {
  // The shared default range (DEFAULT_FILTERS) when the URL names none, as on every page.
  const filters = useMemo(() => parseExploreFilters(search), [search])
  const rangeLabel =
    filters.from !== null
      ? 'the chosen window'
      : (RANGE_PRESETS.find((preset) => preset.value === filters.range)?.label ?? '').toLowerCase()
  // The window is computed when the request starts, so "last 7 days" ends at the request.
  const state = useApi(`hotspots:${exploreToSearch(filters)}`, (signal) =>
    fetchHotspots(exploreApiParams(filters, Date.now()), signal),
  )
  const rows = useMemo(
    () => (state.status === 'ready' ? prepareHotspotRows(state.data.hotspots) : []),
    [state],
  )

  return (
    <div className="page">
      <title>Hotspots · agentmeter</title>
      <div className="page-header">
        <h1>Redundancy hotspots</h1>
        <ExploreBar path="/hotspots" filters={filters} ownDefaultRange />
      </div>
      <Panel<HotspotReport>
        title={`Repeated work, ${rangeLabel}`}
        testId="hotspots-panel"
        state={state}
        isEmpty={(data) => data.hotspots.length === 0}
        emptyText={`No repeated work found in ${rangeLabel}.`}
        actions={
          state.status === 'ready' && (
            <CsvButton
              table="Hotspots"
              header={['rank', 'cause', 'where', 'occurrences', 'wasted_usd', 'share', 'fix']}
              rows={rows.map((row) => [
                row.rank,
                row.cause,
                row.where,
                row.occurrences,
                row.wastedUsd,
                row.share,
                row.fix,
              ])}
            />
          )
        }
      >
        {(data) => <HotspotTable report={data} />}
      </Panel>
    </div>
  )
}

function HotspotTable({ report }: { report: HotspotReport }) {
  const rows = prepareHotspotRows(report.hotspots)
  const unlisted = unlistedHotspotsText(report.hotspots)
  return (
    <>
      <p data-testid="hotspots-total">{hotspotTotalText(report)}</p>
      {rows.length > 0 && (
        <div className="table-scroll">
          <table className="data-table hotspots-table stack-narrow" data-testid="hotspots-table">
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
                  <td data-label="#">{row.rank}</td>
                  <td data-label="Cause">{row.cause}</td>
                  <td className="wrap" data-label="Where">
                    {row.where}
                  </td>
                  <td data-label="Times">{row.occurrences}</td>
                  <td data-label="Wasted" data-testid="hotspot-wasted">
                    {formatUsd(row.wastedUsd)}
                  </td>
                  <td data-label="Share" data-testid="hotspot-share">
                    {row.share}
                  </td>
                  <td className="wrap" data-label="What to change">
                    {row.fix}
                  </td>
                  <td className="wrap" data-label="Examples">
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
      )}
      {unlisted !== null && (
        <p className="footnote" data-testid="hotspots-unlisted">
          {unlisted}
        </p>
      )}
    </>
  )
}
