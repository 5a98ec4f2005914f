import { useMemo, useState } from 'react'
import { ApiError } from '../api/client'
import { fetchTask } from '../api/endpoints'
import { useApi } from '../api/use-api'
import { Link } from '../components/Link'
import { Panel } from '../components/Panel'
import { SpanContentPanel } from '../content/SpanContentPanel'
import { prepareTaskDetail } from '../prepare/task-detail'
import { TaskHeader } from '../task/TaskHeader'
import { SpanTable } from '../task/SpanTable'

/** Props of `TaskDetailPage`. */
export interface TaskDetailPageProps {
  taskId: string
}

/**
 * One task: its totals, its spans as a tree and a waterfall, and the captured content of the
 * selected span. Loaded as its own chunk.
 */
export function TaskDetailPage({ taskId }: TaskDetailPageProps) {
  const state = useApi(`task:${taskId}`, async (signal) => {
    try {
      return await fetchTask(taskId, signal)
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        throw new ApiError(404, `There is no task ${JSON.stringify(taskId)} in this project.`)
      }
      throw error
    }
  })
  const detail = state.status === 'ready' ? state.data : null
  const model = useMemo(() => (detail === null ? null : prepareTaskDetail(detail)), [detail])
  const title = model?.header.name ?? 'Task'
  // The span whose content is shown: the one picked in the table, else the first LLM call.
  const [picked, setPicked] = useState<string | null>(null)
  const selected =
    model?.spans.find((span) => span.spanId === picked) ??
    model?.spans.find((span) => span.kind === 'llm') ??
    model?.spans[0] ??
    null

  return (
    <div className="page" data-testid="task-detail" data-state={state.status}>
      <title>{`${title} · agentmeter`}</title>
      <nav className="breadcrumbs" aria-label="Breadcrumbs">
        <Link href="/">Cost per task</Link> <span aria-hidden>›</span> <span>{taskId}</span>
      </nav>
      <div className="page-header">
        <h1>{title}</h1>
      </div>
      <Panel title="Totals" testId="task-totals" state={state}>
        {() => model !== null && <TaskHeader header={model.header} />}
      </Panel>
      {/* A failed load is told once, by the totals panel. */}
      {state.status !== 'error' && (
        <Panel
          title="Spans"
          testId="task-spans"
          state={state}
          isEmpty={() => model?.isEmpty ?? true}
          emptyText="This task has no spans."
          className="wide"
        >
          {() =>
            model !== null && (
              <SpanTable
                spans={model.spans}
                timeline={model.timeline}
                selectedSpanId={selected?.spanId ?? null}
                onSelect={setPicked}
              />
            )
          }
        </Panel>
      )}
      {selected !== null && (
        <SpanContentPanel taskId={taskId} spanId={selected.spanId} spanName={selected.name} />
      )}
    </div>
  )
}
