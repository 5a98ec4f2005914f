import { useMemo } from 'react'
import { fetchRecommendations, type RecommendationReport } from '../api/recommendations'
import { useApi } from '../api/use-api'
import { Panel } from '../components/Panel'
import { RecommendationTable } from '../recommendations/RecommendationTable'
import { WhatIfPanel } from '../recommendations/WhatIfPanel'
import {
  prepareRecommendationRows,
  switchKey,
  type RecommendationRow,
} from '../prepare/recommendations'
import { acceptedToSearch, parseAcceptedSearch } from '../prepare/what-if'
import { navigate } from '../routing/navigation'
import { RECOMMENDATIONS_PATH } from '../routing/route'

/** Props of `RecommendationsPage`. */
export interface RecommendationsPageProps {
  /** The URL's query string: the accepted recommendations, so a what-if can be shared. */
  search: string
}

const WINDOW_MILLIS = 30 * 24 * 3_600_000

/**
 * Which step could run on a cheaper model, with the evidence and the quality risk, over the
 * last 30 days; and what the cost per task would have been with the accepted ones.
 */
export function RecommendationsPage({ search }: RecommendationsPageProps) {
  const accepted = useMemo(() => parseAcceptedSearch(search), [search])
  const acceptedKey = acceptedToSearch(accepted)
  const acceptedKeys = useMemo(() => new Set(accepted.map(switchKey)), [accepted])
  const state = useApi('recommendations', (signal) => {
    const now = Date.now()
    const window = {
      from: new Date(now - WINDOW_MILLIS).toISOString(),
      to: new Date(now).toISOString(),
    }
    return fetchRecommendations(window, signal)
  })

  const toggle = (row: RecommendationRow) => {
    const next = acceptedKeys.has(row.key)
      ? accepted.filter((item) => switchKey(item) !== row.key)
      : [...accepted, row.accepted]
    navigate(`${RECOMMENDATIONS_PATH}${acceptedToSearch(next)}`, { replace: true })
  }

  return (
    <div className="page">
      <title>Recommendations · agentmeter</title>
      <h1>Routing recommendations</h1>
      <Panel<RecommendationReport>
        title="Cheaper models per step, last 30 days"
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
            <RecommendationTable
              rows={prepareRecommendationRows(data.recommendations)}
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
