import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'

const DASHBOARD = path.resolve(import.meta.dirname, '../apps/dashboard')
const MANIFEST = path.join(DASHBOARD, 'dist/.vite/manifest.json')

interface ManifestChunk {
  file: string
  isEntry?: boolean
  isDynamicEntry?: boolean
  imports?: string[]
  dynamicImports?: string[]
}

function readManifest(): Record<string, ManifestChunk> {
  if (!fs.existsSync(MANIFEST)) {
    throw new Error(`no build manifest at ${MANIFEST}: run "pnpm build" first`)
  }
  return JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as Record<string, ManifestChunk>
}

/** The chunks a chunk loads before it runs: its static imports, transitively. */
function staticClosure(manifest: Record<string, ManifestChunk>, key: string): Set<string> {
  const seen = new Set<string>()
  const visit = (name: string) => {
    if (seen.has(name)) return
    seen.add(name)
    for (const next of manifest[name]?.imports ?? []) visit(next)
  }
  visit(key)
  return seen
}

// Routed pages; the sign-in and not-found pages are tiny and part of the entry.
const ROUTED_PAGES = fs
  .readdirSync(path.join(DASHBOARD, 'src/pages'))
  .filter(
    (file) => /Page\.tsx$/.test(file) && !['SignInPage.tsx', 'NotFoundPage.tsx'].includes(file),
  )
  .map((file) => `src/pages/${file}`)

describe('the production build of the dashboard', () => {
  it('should give every routed page a chunk of its own, loaded on demand', () => {
    const manifest = readManifest()
    expect(ROUTED_PAGES.length).toBe(9)
    const entry = manifest['index.html']!
    expect(entry.isEntry).toBe(true)
    expect([...(entry.dynamicImports ?? [])].sort()).toEqual([...ROUTED_PAGES].sort())
    const files = ROUTED_PAGES.map((page) => {
      expect(manifest[page]?.isDynamicEntry, page).toBe(true)
      return manifest[page]!.file
    })
    expect(new Set(files).size).toBe(ROUTED_PAGES.length)
  })

  it('should load neither a page nor the charting library before the first page is chosen', () => {
    const manifest = readManifest()
    const first = staticClosure(manifest, 'index.html')
    for (const page of ROUTED_PAGES) expect(first.has(page), page).toBe(false)
    const charts = Object.keys(manifest).filter((key) => manifest[key]!.file.includes('charts-'))
    expect(charts.length).toBe(1)
    expect(first.has(charts[0]!)).toBe(false)
    // Pages without a chart do not wait for Recharts either.
    for (const page of ['src/pages/AlertsPage.tsx', 'src/pages/PricesPage.tsx']) {
      expect(staticClosure(manifest, page).has(charts[0]!), page).toBe(false)
    }
    expect(staticClosure(manifest, 'src/pages/OverviewPage.tsx').has(charts[0]!)).toBe(true)
  })
})
