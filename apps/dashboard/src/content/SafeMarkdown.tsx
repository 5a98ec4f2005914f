import { Lexer, type Token, type Tokens } from 'marked'
import type { ReactNode } from 'react'
import { safeLinkHref } from './safe-url'

/** Props of `SafeMarkdown`. */
export interface SafeMarkdownProps {
  /** Untrusted markdown: captured prompts, completions and tool payloads. */
  source: string
}

/**
 * Renders untrusted markdown as React elements, never as an HTML string: `marked` only splits
 * the text into tokens, and every token becomes an element whose text React escapes. What could
 * run code or fetch something is shown as its source text instead: raw HTML (`<script>`,
 * `<img onerror>`, `<svg onload>`), images (never loaded, so content cannot make the viewer's
 * browser call a remote host) and links whose address is not absolute http, https or mailto.
 * Headings become bold paragraphs, so content cannot rearrange the page's outline.
 */
export function SafeMarkdown({ source }: SafeMarkdownProps) {
  const tokens = new Lexer({ gfm: true, breaks: true }).lex(source)
  return <div className="markdown">{renderBlocks(tokens)}</div>
}

function renderBlocks(tokens: Token[]): ReactNode[] {
  return tokens.map((token, index) => renderBlock(token, index))
}

function renderBlock(token: Token, key: number): ReactNode {
  switch (token.type) {
    case 'space':
      return null
    case 'paragraph':
      return <p key={key}>{renderInline((token as Tokens.Paragraph).tokens)}</p>
    case 'heading':
      return (
        <p key={key} className="markdown-heading">
          <strong>{renderInline((token as Tokens.Heading).tokens)}</strong>
        </p>
      )
    case 'code':
      return (
        <pre key={key} className="markdown-code">
          <code>{(token as Tokens.Code).text}</code>
        </pre>
      )
    case 'blockquote':
      return <blockquote key={key}>{renderBlocks((token as Tokens.Blockquote).tokens)}</blockquote>
    case 'list':
      return renderList(token as Tokens.List, key)
    case 'table':
      return renderTable(token as Tokens.Table, key)
    case 'hr':
      return <hr key={key} />
    case 'text': {
      const text = token as Tokens.Text
      return <p key={key}>{text.tokens ? renderInline(text.tokens) : text.text}</p>
    }
    default:
      // Raw HTML blocks, link definitions and anything newer than this renderer: shown as text.
      return (
        <p key={key} className="markdown-source">
          {token.raw}
        </p>
      )
  }
}

function renderList(list: Tokens.List, key: number): ReactNode {
  const items = list.items.map((item, index) => (
    <li key={index}>
      {item.task && <span aria-hidden>{item.checked ? '[x] ' : '[ ] '}</span>}
      {item.tokens.map((token, inner) =>
        // A tight list item's text is inline content, not a paragraph of its own.
        token.type === 'text' && (token as Tokens.Text).tokens ? (
          <span key={inner}>{renderInline((token as Tokens.Text).tokens!)}</span>
        ) : (
          renderBlock(token, inner)
        ),
      )}
    </li>
  ))
  if (!list.ordered) return <ul key={key}>{items}</ul>
  return (
    <ol key={key} start={typeof list.start === 'number' ? list.start : undefined}>
      {items}
    </ol>
  )
}

function renderTable(table: Tokens.Table, key: number): ReactNode {
  return (
    <div key={key} className="table-scroll">
      <table className="markdown-table">
        <thead>
          <tr>
            {table.header.map((cell, index) => (
              <th key={index} scope="col">
                {renderInline(cell.tokens)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row, rowIndex) => (
            <tr key={rowIndex}>
              {row.map((cell, index) => (
                <td key={index}>{renderInline(cell.tokens)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

function renderInline(tokens: Token[]): ReactNode[] {
  return tokens.map((token, index) => renderInlineToken(token, index))
}

function renderInlineToken(token: Token, key: number): ReactNode {
  switch (token.type) {
    case 'text':
    case 'escape': {
      const text = token as Tokens.Text
      return text.tokens ? <span key={key}>{renderInline(text.tokens)}</span> : text.text
    }
    case 'strong':
      return <strong key={key}>{renderInline((token as Tokens.Strong).tokens)}</strong>
    case 'em':
      return <em key={key}>{renderInline((token as Tokens.Em).tokens)}</em>
    case 'del':
      return <del key={key}>{renderInline((token as Tokens.Del).tokens)}</del>
    case 'codespan':
      return <code key={key}>{(token as Tokens.Codespan).text}</code>
    case 'br':
      return <br key={key} />
    case 'link': {
      const link = token as Tokens.Link
      const href = safeLinkHref(link.href)
      if (href === null) return <span key={key}>{link.raw}</span>
      return (
        // The viewer's session must not leak to, or be reachable from, the linked page.
        <a key={key} href={href} target="_blank" rel="noopener noreferrer nofollow">
          {renderInline(link.tokens)}
        </a>
      )
    }
    default:
      // Images, inline HTML and anything else: the source text, so nothing is fetched or run.
      return <span key={key}>{token.raw}</span>
  }
}
