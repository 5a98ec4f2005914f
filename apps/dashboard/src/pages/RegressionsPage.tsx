import { useId, useMemo } from 'react'
import { fetchRegressions } from '../api/explore'
import { useApi } from '../api/use-api'
import { CsvButton } from '../components/CsvButton'
import { Link } from '../components/Link'
import { Panel } from '../components/Panel'
import { ExploreBar } from '../explore/ExploreBar'
import { tasksHref } from '../explore/OverviewPanels'
import { exploreApiParams, exploreToSearch, parseExploreFilters } from '../prepare/explore-filters'
import { REGRESSIONS_CSV_HEADER, prepareRegressions } from '../prepare/regressions'
import type { RegressionView } from '../prepare/regressions'
import { navigate } from '../routing/navigation'

export const REGRESSIONS_PATH = '/regressions'

/** Props of `RegressionsPage`. */
export interface RegressionsPageProps {
  search: string
}

type Compare = 'period' | 'version'

function changeTone(row: RegressionView): string {
  if (row.parts.length === 0) return ''
  return row.worse ? 'change-worse' : 'change-better'
}

/**
 * For engineering: per task type, cost per task against the previous period of the same length
 * or the release before, with the change split into its parts (more calls, model mix, longer
 * prompts, lost cache hits, output, tool fees), which add up to the change.
 */
export function RegressionsPage({ search }: RegressionsPageProps) {
  const filters = useMemo(() => parseExploreFilters(search), [search])
  const compare: Compare =
    new URLSearchParams(search).get('compare') === 'version' ? 'version' : 'period'
  const compareId = useId()
  const state = useApi(`regressions:${exploreToSearch(filters)}|${compare}`, (signal) =>
    fetchRegressions({ ...exploreApiParams(filters, Date.now()), compare }, signal),
  )
  const rows = useMemo(
    () => (state.status === 'ready' ? prepareRegressions(state.data.rows) : []),
    [state],
  )
  const title =
    compare === 'version' ? 'Cost per task by release' : 'Cost per task against the previous period'

  return (
    <div className="page">
      <title>Regressions · agentmeter</title>
      <div className="page-header">
        <h1>Regressions</h1>
        <ExploreBar path={REGRESSIONS_PATH} filters={filters} keep={{ compare }} />
      </div>
      <div className="page-toolbar">
        <div className="field">
          <label htmlFor={compareId}>Compare</label>
          <select
            id={compareId}
            value={compare}
            onChange={(event) => {
              const query = new URLSearchParams(exploreToSearch(filters))
              query.set('compare', event.target.value)
              navigate(`${REGRESSIONS_PATH}?${query.toString()}`, { replace: true })
            }}
          >
            <option value="period">With the previous period</option>
            <option value="version">Release by release (service.version)</option>
          </select>
        </div>
      </div>
      <Panel
        title={title}
        testId="regressions"
        state={state}
        isEmpty={(data) => data.rows.length === 0}
        emptyText="No tasks in this range."
        actions={
          state.status === 'ready' && (
            <CsvButton
              table={title}
              header={REGRESSIONS_CSV_HEADER}
              rows={rows.map((row) => row.csv)}
            />
          )
        }
      >
        {(data) => (
          <>
            <p className="footnote" data-testid="regressions-method">
              Method: {data.method}
            </p>
            <div className="table-scroll">
              <table className="data-table">
                <caption className="visually-hidden">{title}</caption>
                <thead>
                  <tr>
                    <th scope="col">Task type</th>
                    <th scope="col">{compare === 'version' ? 'Release' : 'Period'}</th>
                    <th scope="col" className="num">
                      Before
                    </th>
                    <th scope="col" className="num">
                      Now
                    </th>
                    <th scope="col" className="num">
                      Change
                    </th>
                    <th scope="col" className="wrap-cell">
                      Why
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.id} data-testid="regression-row" data-task-name={row.taskName}>
                      <th scope="row">
                        <Link href={tasksHref({ ...filters, name: row.taskName })}>
                          {row.label}
                        </Link>
                      </th>
                      <td>
                        {row.baselineGroup} → {row.group}
                      </td>
                      <td className="num">{row.baselineCost}</td>
                      <td className="num" data-testid="regression-cost">
                        {row.cost}
                      </td>
                      <td className={`num ${changeTone(row)}`}>
                        <span data-testid="regression-change">{row.change}</span>
                        {row.parts.length > 0 && ` (${row.changeShare})`}
                      </td>
                      <td className="wrap-cell">
                        <strong>{row.driver}</strong>
                        {row.parts.length > 0 && (
                          <ul className="parts" aria-label="Parts of the change">
                            {row.parts
                              .filter((part) => part.usd !== 0)
                              .map((part) => (
                                <li key={part.name} data-testid={`part-${part.name}`}>
                                  {part.label}: {part.value}
                                </li>
                              ))}
                          </ul>
                        )}
                        <span className="footnote block">{row.details}</span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </Panel>
    </div>
  )
}
