import { useId, useState } from 'react'
import type { ContentPartModel } from '../prepare/span-content'
import { SafeMarkdown } from './SafeMarkdown'

/** Props of `ContentPart`. */
export interface ContentPartProps {
  part: ContentPartModel
  /** Show markdown parts as their plain source text. */
  plain: boolean
}

/**
 * One message or value of a span's content. A long one shows its first lines until the toggle
 * (a real button, so it is reached with Tab and pressed with Enter or Space) expands it.
 */
export function ContentPart({ part, plain }: ContentPartProps) {
  const [expanded, setExpanded] = useState(false)
  const bodyId = useId()
  const collapsed = part.preview !== null && !expanded
  const text = collapsed ? `${part.preview}…` : part.text

  return (
    <div className="content-part" data-testid="content-part" data-role={part.role ?? ''}>
      {part.role !== null && <div className="content-role">{part.role}</div>}
      <div id={bodyId} className="content-body" data-testid="content-body">
        {part.format === 'markdown' && !plain ? (
          <SafeMarkdown source={text} />
        ) : (
          <pre className="content-text">{text}</pre>
        )}
      </div>
      {part.preview !== null && (
        <button
          type="button"
          className="small secondary"
          aria-expanded={expanded}
          aria-controls={bodyId}
          data-testid="content-toggle"
          onClick={() => setExpanded((value) => !value)}
        >
          {expanded
            ? 'Show less'
            : `Show all (${part.text.length.toLocaleString('en-US')} characters)`}
        </button>
      )}
    </div>
  )
}
