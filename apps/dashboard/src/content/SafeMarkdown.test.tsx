import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import {
  HOSTILE_ANSWER,
  HOSTILE_SYSTEM,
  HOSTILE_TOOL_RESULT,
  HOSTILE_USER,
} from '../test-support/hostile-content'
import { SafeMarkdown } from './SafeMarkdown'

function render(source: string): string {
  return renderToStaticMarkup(<SafeMarkdown source={source} />)
}

/** Every element and attribute the output may contain; anything else fails the test. */
function elementsAndAttributes(markup: string): string[] {
  return [...markup.matchAll(/<([a-z0-9]+)((?:\s+[a-z-]+="[^"]*")*)\s*\/?>/g)].map(
    ([, name, attrs]) =>
      [name, ...[...attrs!.matchAll(/\s([a-z-]+)=/g)].map(([, attr]) => attr)].join(' '),
  )
}

describe('SafeMarkdown', () => {
  it('should render raw HTML as its text: script, img onerror, svg onload', () => {
    expect(render(HOSTILE_SYSTEM)).toBe(
      '<div class="markdown"><p><span>&lt;svg onload=&quot;window.__pwned=&#x27;svg&#x27;&quot;&gt;</span><span>&lt;circle r=&quot;5&quot;/&gt;</span><span>&lt;/svg&gt;</span> You are <strong>helpful</strong>.</p></div>',
    )
    expect(render(HOSTILE_USER)).toBe(
      '<div class="markdown"><p>Read <span>&lt;script&gt;</span>window.__pwned=&#x27;script&#x27;;alert(1)<span>&lt;/script&gt;</span> and <span>&lt;img src=x onerror=&quot;window.__pwned=&#x27;img&#x27;;alert(2)&quot;&gt;</span> now</p></div>',
    )
  })

  it('should keep http links and show javascript:, data: and image injections as text', () => {
    expect(render(HOSTILE_ANSWER)).toBe(
      '<div class="markdown"><p>See <span>[the docs](javascript:window.__pwned=&#x27;js-link&#x27;)</span> or <a href="https://docs.example.invalid/a?b=1" target="_blank" rel="noopener noreferrer nofollow">safe</a><br/>and <span>![pixel](http://tracker.example.invalid/p.png?leak=1)</span> or <span>[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)</span></p><p><span>&lt;a href=&quot;javascript:window.__pwned=&#x27;a&#x27;&quot; onclick=&quot;window.__pwned=&#x27;onclick&#x27;&quot;&gt;</span>raw anchor<span>&lt;/a&gt;</span></p></div>',
    )
  })

  it('should show an inline handler block and a javascript: reference definition as text', () => {
    expect(render(HOSTILE_TOOL_RESULT)).toBe(
      '<div class="markdown"><p class="markdown-source">&lt;div onmouseover=&quot;window.__pwned=&#x27;inline-handler&#x27;&quot; style=&quot;position:fixed;inset:0&quot;&gt;hover&lt;/div&gt;</p><p>Found <span>[the ref][r]</span> and <a href="mailto:ops@example.invalid" target="_blank" rel="noopener noreferrer nofollow">mail</a>.</p><p class="markdown-source">[r]: javascript:window.__pwned=&#x27;ref&#x27;</p></div>',
    )
  })

  it('should emit only plain elements, never an event handler, src or style attribute', () => {
    const payloads = [HOSTILE_SYSTEM, HOSTILE_USER, HOSTILE_ANSWER, HOSTILE_TOOL_RESULT]
    const seen = new Set(payloads.flatMap((source) => elementsAndAttributes(render(source))))
    expect([...seen].sort()).toEqual([
      'a href target rel',
      'br',
      'div class',
      'p',
      'p class',
      'span',
      'strong',
    ])
  })

  it('should render markdown structure: emphasis, code, lists, tables, headings as bold', () => {
    const source =
      '# Title\n\n*a* `<b>` ~~c~~\n\n1. one\n2. two\n\n| x |\n| - |\n| <i>y</i> |\n\n```\n<script>\n```'
    expect(render(source)).toBe(
      '<div class="markdown"><p class="markdown-heading"><strong>Title</strong></p><p><em>a</em> <code>&lt;b&gt;</code> <del>c</del></p><ol start="1"><li><span>one</span></li><li><span>two</span></li></ol><div class="table-scroll"><table class="markdown-table"><thead><tr><th scope="col">x</th></tr></thead><tbody><tr><td><span>&lt;i&gt;</span>y<span>&lt;/i&gt;</span></td></tr></tbody></table></div><pre class="markdown-code"><code>&lt;script&gt;</code></pre></div>',
    )
  })
})
