import { useMemo } from 'react'
import { fetchRecommendations, type RecommendationReport } from '../api/recommendations'
import { useApi } from '../api/use-api'
import { Panel } from '../components/Panel'
import { ExploreBar } from '../explore/ExploreBar'
import { exploreApiParams, exploreToSearch, parseExploreFilters } from '../prepare/explore-filters'
import { RecommendationGroups } from '../recommendations/RecommendationGroups'
import { WhatIfPanel } from '../recommendations/WhatIfPanel'
import {
  prepareRecommendationGroups,
  recommendationSummary,
  switchKey,
  type RecommendationRow,
} from '../prepare/recommendations'
import { acceptedToSearch, parseAcceptedSearch } from '../prepare/what-if'
import { navigate } from '../routing/navigation'
import { RECOMMENDATIONS_PATH } from '../routing/route'

/** Props of `RecommendationsPage`. */
export interface RecommendationsPageProps {
  /** The URL's query string: the Explore filters and the accepted recommendations. */
  search: string
}

/**
 * Which step could run on a cheaper model, with the evidence and the quality risk, for the
 * Explore filters (the last 7 days, the default of every page, unless the URL says otherwise);
 * and what the cost per task would have been with the accepted ones.
 */
export function RecommendationsPage({ search }: RecommendationsPageProps) {
  const accepted = useMemo(() => parseAcceptedSearch(search), [search])
  const acceptedKey = acceptedToSearch(accepted)
  const acceptedKeys = useMemo(() => new Set(accepted.map(switchKey)), [accepted])
  // The shared default range (DEFAULT_FILTERS) when the URL names none, as on every page.
  const filters = useMemo(() => parseExploreFilters(search), [search])
  const filterKey = exploreToSearch(filters)
  // The window is computed when the request starts, so "last 7 days" ends at the request.
  const state = useApi(`recommendations:${filterKey}`, (signal) =>
    fetchRecommendations(exploreApiParams(filters, Date.now()), signal),
  )

  const toggle = (row: RecommendationRow) => {
    const next = acceptedKeys.has(row.key)
      ? accepted.filter((item) => switchKey(item) !== row.key)
      : [...accepted, row.accepted]
    // The accepted switches first, then the filters (with the range: this page's default is
    // not Explore's).
    const query = new URLSearchParams(acceptedToSearch(next))
    for (const [key, value] of new URLSearchParams(filterKey)) query.append(key, value)
    if (filters.from === null) query.set('range', filters.range)
    navigate(`${RECOMMENDATIONS_PATH}?${query.toString()}`, { replace: true })
  }

  return (
    <div className="page">
      <title>Recommendations · agentmeter</title>
      <div className="page-header">
        <h1>Routing recommendations</h1>
        <ExploreBar
          path={RECOMMENDATIONS_PATH}
          filters={filters}
          keepSearch={acceptedKey}
          ownDefaultRange
        />
      </div>
      <Panel<RecommendationReport>
        title="Cheaper models per step"
        testId="recommendations-panel"
        state={state}
        isEmpty={(data) => data.recommendations.length === 0}
        emptyText="No step has a cheaper candidate model yet."
      >
        {(data) => (
          <>
            <p className="panel-note">
              Savings are projected from each step&apos;s real token mix. Evidence, strongest first:
              observed (both models ran the step), replay (a shadow sample), prior (a task-family
              prior only, never a recommendation). Tolerated quality drop: {data.toleranceDrop}{' '}
              points.
            </p>
            <p data-testid="recommendations-summary">
              {recommendationSummary(data.recommendations)}
            </p>
            <RecommendationGroups
              groups={prepareRecommendationGroups(data.recommendations)}
              accepted={acceptedKeys}
              onToggle={toggle}
            />
          </>
        )}
      </Panel>
      <WhatIfPanel accepted={accepted} acceptedKey={acceptedKey} />
    </div>
  )
}
