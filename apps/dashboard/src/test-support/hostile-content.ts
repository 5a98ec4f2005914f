/**
 * Captured content that tries to run script, fetch from a remote host or navigate away when a
 * dashboard renders it: the sanitizer's unit test and the real-Chromium test of the task page
 * use the same payloads. Every script payload would set `window.__pwned`.
 */
export const HOSTILE_SYSTEM =
  '<svg onload="window.__pwned=\'svg\'"><circle r="5"/></svg> You are **helpful**.'

export const HOSTILE_USER =
  "Read <script>window.__pwned='script';alert(1)</script> and <img src=x onerror=\"window.__pwned='img';alert(2)\"> now"

export const HOSTILE_ANSWER = [
  "See [the docs](javascript:window.__pwned='js-link') or [safe](https://docs.example.invalid/a?b=1)",
  'and ![pixel](http://tracker.example.invalid/p.png?leak=1) or [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '',
  '<a href="javascript:window.__pwned=\'a\'" onclick="window.__pwned=\'onclick\'">raw anchor</a>',
].join('\n')

/** Tool arguments are JSON: shown as text, pretty-printed. */
export const HOSTILE_TOOL_ARGUMENTS = JSON.stringify({
  query: '<img src=x onerror=alert(3)>',
  url: 'javascript:alert(4)',
})

/** An inline event handler that the page's CSP would refuse, and a reference-style link. */
export const HOSTILE_TOOL_RESULT = [
  '<div onmouseover="window.__pwned=\'inline-handler\'" style="position:fixed;inset:0">hover</div>',
  '',
  'Found [the ref][r] and [mail](mailto:ops@example.invalid).',
  '',
  "[r]: javascript:window.__pwned='ref'",
].join('\n')

/** OTel GenAI message lists, as the SDK and other instrumentations store them. */
export const HOSTILE_INPUT_MESSAGES = JSON.stringify([
  { role: 'system', parts: [{ type: 'text', content: HOSTILE_SYSTEM }] },
  { role: 'user', parts: [{ type: 'text', content: HOSTILE_USER }] },
])

export const HOSTILE_OUTPUT_MESSAGES = JSON.stringify([
  { role: 'assistant', parts: [{ type: 'text', content: HOSTILE_ANSWER }], finish_reason: 'stop' },
])
