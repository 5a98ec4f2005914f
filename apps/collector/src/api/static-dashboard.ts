import fs from 'node:fs/promises'
import path from 'node:path'
import type { Context } from 'hono'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

/**
 * The dashboard loads only its own scripts, styles and API; nothing may frame it, and it frames
 * nothing. Scripts are never inline (Vite emits files), so an injected `<script>` or `onerror=`
 * cannot run. Inline style attributes are allowed (`style-src-attr`) because the charts and the
 * waterfall position elements with them, but not `<style>` elements. Trusted Types with no
 * policy make every HTML-string sink (`innerHTML`, `document.write`, React's
 * `dangerouslySetInnerHTML`) and `javascript:` navigation throw: the dashboard renders captured
 * content as elements only, and this keeps it so. `data:` images are only the empty favicon.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-src 'none'",
  "worker-src 'none'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ')

const SECURITY_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
}

/**
 * Serves the built dashboard: files under `root` as they are, and `index.html` for every other
 * path so that client routes such as `/tasks/abc` load the app. Paths that climb out of `root`
 * are refused.
 */
export function createDashboardHandler(root: string) {
  const resolvedRoot = path.resolve(root)
  return async (c: Context) => {
    let requested: string
    try {
      requested = decodeURIComponent(new URL(c.req.url).pathname)
    } catch {
      return c.json({ error: 'malformed percent-encoding in the path' }, 400)
    }
    const file = path.resolve(resolvedRoot, `.${requested}`)
    if (file !== resolvedRoot && !file.startsWith(resolvedRoot + path.sep)) return c.notFound()

    const asset = await readFile(file)
    if (asset) {
      // Vite puts content hashes in asset names, so those never change under the same URL.
      const immutable = requested.startsWith('/assets/')
      return c.body(asset, 200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        ...SECURITY_HEADERS,
      })
    }
    const index = await readFile(path.join(resolvedRoot, 'index.html'))
    if (!index) {
      return c.html(
        '<!doctype html><title>agentmeter</title><p>The dashboard is not built. Run <code>pnpm build</code>, then reload.</p>',
        503,
        SECURITY_HEADERS,
      )
    }
    return c.body(index, 200, {
      'content-type': TYPES['.html']!,
      'cache-control': 'no-cache',
      ...SECURITY_HEADERS,
    })
  }
}

async function readFile(file: string): Promise<Uint8Array<ArrayBuffer> | null> {
  try {
    const stat = await fs.stat(file)
    return stat.isFile() ? new Uint8Array(await fs.readFile(file)) : null
  } catch {
    return null
  }
}
