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
        const body =
          group.rows.length === 0 ? (
            <p className="panel-status">No switch is recommended for this range yet.</p>
          ) : (
            <>
              <p className="group-note">{group.note}</p>
              <RecommendationTable rows={group.rows} accepted={accepted} onToggle={onToggle} />
            </>
          )
        const shared = {
          className: 'recommendation-group',
          'data-testid': 'recommendation-group',
          'data-group': group.id,
        }
        const heading = <h3>{group.title}</h3>
        // The recommended group is always open; the others fold, the priors folded at first.
        return group.id === 'recommended' ? (
          <section key={group.id} {...shared}>
            {heading}
            {body}
          </section>
        ) : (
          <details key={group.id} {...shared} open={!group.collapsed}>
            <summary>{heading}</summary>
            {body}
          </details>
        )
      })}
    </>
  )
}
