/** The only URL schemes a link in captured content may have; anything else stays text. */
const ALLOWED_PROTOCOLS = new Set(['http:', 'https:', 'mailto:'])

/**
 * The address a link in captured content may point to, or `null` when it must stay text. Only
 * absolute http, https and mailto URLs pass: `javascript:`, `data:`, `vbscript:`, relative
 * paths (which would reach this collector's own API with the viewer's cookie) and anything the
 * URL parser rejects do not. The parser's own serialization is returned, so the browser reads
 * exactly the URL that was checked (no tab, newline or entity tricks between check and use).
 */
export function safeLinkHref(href: string): string | null {
  let url: URL
  try {
    url = new URL(href.trim())
  } catch {
    return null
  }
  return ALLOWED_PROTOCOLS.has(url.protocol) ? url.href : null
}
