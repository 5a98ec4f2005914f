import { useId, useMemo, useState } from 'react'
import type { SpanContent } from '../api/types'
import { prepareSpanContent } from '../prepare/span-content'
import { ContentPart } from './ContentPart'

/** Props of `SpanContentView`. */
export interface SpanContentViewProps {
  content: SpanContent
}

/**
 * The captured content of one span, block by block (prompt, completion, tool arguments and
 * results...), or the reason there is none. Prose renders as sanitized markdown, data as text;
 * a checkbox shows everything as plain text.
 */
export function SpanContentView({ content }: SpanContentViewProps) {
  const model = useMemo(() => prepareSpanContent(content), [content])
  const [plain, setPlain] = useState(false)
  const plainId = useId()

  if (model.note !== null) {
    return (
      <p className="panel-status" data-testid="content-note">
        {model.note}
      </p>
    )
  }
  return (
    <div className="span-content">
      <div className="content-options">
        <input
          id={plainId}
          type="checkbox"
          checked={plain}
          onChange={(event) => setPlain(event.target.checked)}
        />
        <label htmlFor={plainId}>Show as plain text</label>
      </div>
      {model.blocks.map((block) => (
        <section
          key={block.key}
          className="content-block"
          data-testid="content-block"
          data-key={block.key}
          aria-label={`${block.label} (${block.key})`}
        >
          <h3>
            {block.label} <span className="muted">{block.key}</span>
          </h3>
          {block.parts.map((part, index) => (
            <ContentPart key={index} part={part} plain={plain} />
          ))}
        </section>
      ))}
    </div>
  )
}
