import { useId } from 'react'
import type { ReactNode } from 'react'
import type { ApiState } from '../api/use-api'

/** Props of `Panel`. */
export interface PanelProps<T> {
  title: string
  testId: string
  state: ApiState<T>
  /** Whether loaded data has nothing to show; the panel then says `emptyText`. */
  isEmpty?: (data: T) => boolean
  emptyText?: string
  /** Controls shown beside the title. */
  actions?: ReactNode
  className?: string
  children: (data: T) => ReactNode
}

/**
 * A titled section that owns the loading, empty and error states of one request, so a failed
 * API call ends as a message in its panel and the rest of the page keeps working. `data-state`
 * tells browser tests which of the four states the panel is in.
 */
export function Panel<T>(props: PanelProps<T>) {
  const { title, testId, state, isEmpty, emptyText = 'Nothing to show.', actions } = props
  const titleId = useId()
  const empty = state.status === 'ready' && isEmpty !== undefined && isEmpty(state.data)
  const dataState = empty ? 'empty' : state.status

  return (
    <section
      className={`panel ${props.className ?? ''}`}
      aria-labelledby={titleId}
      aria-busy={state.status === 'loading'}
      data-testid={testId}
      data-state={dataState}
    >
      <header className="panel-header">
        <h2 id={titleId}>{title}</h2>
        {actions}
      </header>
      {state.status === 'loading' && (
        <p className="panel-status" role="status">
          Loading…
        </p>
      )}
      {state.status === 'error' && (
        <div className="panel-error" role="alert">
          <p>Could not load this panel: {state.message}</p>
          <button type="button" onClick={state.retry}>
            Retry
          </button>
        </div>
      )}
      {empty && <p className="panel-status">{emptyText}</p>}
      {state.status === 'ready' && !empty && props.children(state.data)}
    </section>
  )
}
