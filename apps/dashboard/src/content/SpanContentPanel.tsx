import { fetchSpanContent } from '../api/content'
import { useApi } from '../api/use-api'
import { Panel } from '../components/Panel'
import { SpanContentView } from './SpanContentView'

/** Props of `SpanContentPanel`. */
export interface SpanContentPanelProps {
  taskId: string
  spanId: string
  /** The span's name, for the panel title. */
  spanName: string
}

/** The panel under the span table: the selected span's captured content, loaded on selection. */
export function SpanContentPanel({ taskId, spanId, spanName }: SpanContentPanelProps) {
  const state = useApi(`content:${taskId}:${spanId}`, (signal) =>
    fetchSpanContent(taskId, spanId, signal),
  )
  return (
    <Panel title={`Content of ${spanName}`} testId="span-content" state={state} className="wide">
      {(content) => <SpanContentView content={content} />}
    </Panel>
  )
}
