import type { SpanRowModel } from '../prepare/task-detail'

/** Props of `SpanTable`. */
export interface SpanTableProps {
  spans: SpanRowModel[]
  /** Length of the waterfall, for its column header. */
  timeline: string
  /** The span whose content is shown below the table. */
  selectedSpanId: string | null
  onSelect: (spanId: string) => void
}

const INDENT_REM = 1.1

/**
 * The spans as a tree (indented by depth) and a waterfall (a bar per span on a shared axis). A
 * span's name is a button that selects it, to show its content.
 */
export function SpanTable({ spans, timeline, selectedSpanId, onSelect }: SpanTableProps) {
  return (
    <div className="table-scroll">
      <table className="data-table span-table">
        <caption className="visually-hidden">Spans of the task, as a tree with timings</caption>
        <thead>
          <tr>
            <th scope="col">Span</th>
            <th scope="col">Step</th>
            <th scope="col">Model</th>
            <th scope="col" className="num">
              Input
            </th>
            <th scope="col" className="num">
              Output
            </th>
            <th scope="col" className="num">
              Cache read
            </th>
            <th scope="col" className="num">
              Cache write
            </th>
            <th scope="col" className="num">
              Reasoning
            </th>
            <th scope="col" className="num">
              Cost
            </th>
            <th scope="col">Status</th>
            <th scope="col" className="waterfall-col">
              Timeline <span className="muted">(0 – {timeline})</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {spans.map((span) => (
            <tr
              key={span.spanId}
              id={`span-${span.spanId}`}
              className={span.isError ? 'span-error' : undefined}
              data-testid="span-row"
              data-span-id={span.spanId}
              data-depth={span.depth}
            >
              <th scope="row" style={{ paddingInlineStart: `${0.5 + span.depth * INDENT_REM}rem` }}>
                <span className={`kind kind-${span.kind}`}>{span.kind}</span>{' '}
                <button
                  type="button"
                  className="span-select"
                  aria-pressed={span.spanId === selectedSpanId}
                  title="Show this span's content below"
                  data-testid="span-select"
                  onClick={() => onSelect(span.spanId)}
                >
                  {span.name}
                </button>
                {span.orphan && (
                  <span className="badge" title="Its parent span is not part of this task">
                    orphan
                  </span>
                )}
              </th>
              <td>{span.step}</td>
              <td>{span.model}</td>
              <td className="num">{span.tokens.input}</td>
              <td className="num">{span.tokens.output}</td>
              <td className="num">{span.tokens.cacheRead}</td>
              <td className="num">{span.tokens.cacheWrite}</td>
              <td className="num">{span.tokens.reasoning}</td>
              <td className="num" data-testid="span-cost" title={span.costNote ?? undefined}>
                {span.cost}
              </td>
              <td className="span-status" data-testid="span-status" title={span.status.title}>
                <span className={`status status-${span.status.tone}`}>{span.status.label}</span>
                {span.status.message !== null && (
                  <span className="status-message">{span.status.message}</span>
                )}
              </td>
              <td className="waterfall-col">
                <div className="waterfall-track">
                  <div
                    className={`waterfall-bar kind-${span.kind}${span.isError ? ' waterfall-error' : ''}`}
                    data-testid="waterfall-bar"
                    style={{ left: `${span.offset * 100}%`, width: `${span.width * 100}%` }}
                    title={span.timing}
                  />
                </div>
                <span className="visually-hidden">{span.timing}</span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
