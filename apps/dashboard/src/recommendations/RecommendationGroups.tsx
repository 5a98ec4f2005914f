import type { RecommendationGroup, RecommendationRow } from '../prepare/recommendations'
import { RecommendationTable } from './RecommendationTable'

/** Props of `RecommendationGroups`. */
export interface RecommendationGroupsProps {
  groups: RecommendationGroup[]
  /** Keys (`switchKey`) of the accepted rows. */
  accepted: ReadonlySet<string>
  onToggle: (row: RecommendationRow) => void
}

/**
 * The recommendations in their groups, each a table of the same columns under a heading with
 * its count: the recommended switches, then those with evidence against or too little of it
 * (open, and can be folded), then the prior-only ones, folded until asked for.
 */
export function RecommendationGroups({ groups, accepted, onToggle }: RecommendationGroupsProps) {
  return (
    <>
      {groups.map((group) => {
        const body = (
          <>
            <p className="group-note">{group.note}</p>
            {group.rows.length === 0 ? (
              <p className="panel-status">No switch is recommended for this range yet.</p>
            ) : (
              <RecommendationTable rows={group.rows} accepted={accepted} onToggle={onToggle} />
            )}
          </>
        )
        if (group.id === 'recommended') {
          return (
            <section
              key={group.id}
              className="recommendation-group"
              data-testid="recommendation-group"
              data-group={group.id}
            >
              <h3>{group.title}</h3>
              {body}
            </section>
          )
        }
        return (
          <details
            key={group.id}
            className="recommendation-group"
            data-testid="recommendation-group"
            data-group={group.id}
            open={!group.collapsed}
          >
            <summary>
              <h3>{group.title}</h3>
            </summary>
            {body}
          </details>
        )
      })}
    </>
  )
}
